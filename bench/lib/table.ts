// Plain-text tables for the terminal and for docs/BENCHMARKS.md (the same text, in a code block).
import type { Row } from './stats';
import type { TargetResult } from './targets';
import { MB } from './types';

export function renderTable(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const n = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '-');

/** Tools measured against a baseline, never one themselves. */
const MEASURED = new Set(['ferry', 'tar-save', 'ws-tls-save', 'ws-tls-save-thread', 'ws-tls', 'ws-tls-hash', 'ws-aead']);

export function resultsTable(rows: Row[]): string {
  return renderTable(
    ['scenario / tool', 'runs', 'MB/s', 'files/s', 'ratio', 'CPU s/GB snd', 'CPU s/GB rcv', 'busy snd', 'busy rcv', 'RSS MB snd', 'RSS MB rcv'],
    rows.map((r) => {
      // The ratio compares each row with the baseline of its scenario (plain TCP, tar, plain ws).
      const base = rows.find((b) => b.scenario === r.scenario && !MEASURED.has(b.tool));
      const ratio = base && base !== r ? (r.files > 1 ? r.filesPerSec / base.filesPerSec : r.mbPerSec / base.mbPerSec) : NaN;
      return [
        `${r.scenario} / ${r.tool}`,
        `${r.runs}${r.failedVerification ? ` (${r.failedVerification} BAD)` : ''}`,
        n(r.mbPerSec, 1),
        r.files > 1 ? n(r.filesPerSec, 0) : '',
        Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '',
        n(r.senderCpuPerGB, 2),
        n(r.receiverCpuPerGB, 2),
        pct(r.senderBusy),
        pct(r.receiverBusy),
        n(r.senderPeakRss / MB, 0),
        n(r.receiverPeakRss / MB, 0),
      ];
    }),
  );
}

export function targetsTable(targets: TargetResult[]): string {
  return renderTable(
    ['target', 'verdict', 'measured'],
    targets.map((t) => [t.target, t.verdict, t.measured]),
  );
}
