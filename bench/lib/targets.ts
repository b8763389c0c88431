// The targets, each judged from the summarized rows. A target whose inputs are missing
// (Ferry failed, no root for the shaped link) is reported as SKIP or FAIL, never as PASS.
import { SCENARIO, type Part, type Plan } from './plan';
import { findRow, type Row } from './stats';
import { MB, type Tool } from './types';

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface TargetResult {
  target: string;
  verdict: Verdict;
  /** The measured value in words, e.g. "0.91x (812 / 893 MB/s)". */
  measured: string;
}

const RSS_LIMIT = 200 * MB;
/** Files/s at the largest count may be this much below the best smaller count before it counts as a slowdown. */
const SLOWDOWN_TOLERANCE = 0.8;
/** Peak RSS may grow this much from the large to the huge file and still count as flat. */
const FLAT_RSS_SLACK = 25 * MB;

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const mbs = (x: number) => `${fmt(x, 0)} MB/s`;

function judge(target: string, ok: boolean | null, measured: string): TargetResult {
  return { target, verdict: ok === null ? 'SKIP' : ok ? 'PASS' : 'FAIL', measured };
}

/** A row that ran but whose every run failed verification has NaN numbers: that is a FAIL. */
const usable = (r: Row | undefined): r is Row => !!r && r.runs > r.failedVerification;

export function evaluateTargets(plan: Plan, rows: Row[], linkRateBits: number | null, skipReason?: string): TargetResult[] {
  const out = judgeAll(plan, rows, linkRateBits, skipReason);
  // A target of a part left out with --only is not judged at all.
  const partOf = (t: string): Part | null =>
    t.startsWith('large') ? 'large' : t.startsWith('shaped') ? 'shaped' : t.includes('small files') ? 'small' : t.includes('flat') ? 'huge' : null;
  return out.map((t) => {
    const part = partOf(t.target);
    return part && !plan.parts.has(part) ? { ...t, verdict: 'SKIP', measured: 'not selected with --only' } : t;
  });
}

function judgeAll(plan: Plan, rows: Row[], linkRateBits: number | null, skipReason?: string): TargetResult[] {
  const out: TargetResult[] = [];

  const tcp = findRow(rows, SCENARIO.large, 'tcp-pipe');
  const ferry = findRow(rows, SCENARIO.large, 'ferry');
  // Raw ws + TLS + BLAKE3, same file, same run: the stack's own cost, beside Ferry's (not judged).
  const stack = findRow(rows, SCENARIO.tls, 'ws-tls-hash');
  const stackNote = usable(tcp) && usable(stack) ? `; ws + TLS + BLAKE3 alone ${fmt(stack.mbPerSec / tcp.mbPerSec)}x` : '';
  out.push(
    usable(tcp) && usable(ferry)
      ? judge('large file: Ferry (TLS) >= 0.8x plain TCP pipe', ferry.mbPerSec / tcp.mbPerSec >= 0.8,
          `${fmt(ferry.mbPerSec / tcp.mbPerSec)}x (${mbs(ferry.mbPerSec)} vs ${mbs(tcp.mbPerSec)})${stackNote}`)
      : judge('large file: Ferry (TLS) >= 0.8x plain TCP pipe', false, 'no verified runs'),
  );

  const shaped = findRow(rows, SCENARIO.shaped, 'ferry');
  const shapedTcp = findRow(rows, SCENARIO.shaped, 'tcp-pipe');
  if (!linkRateBits) out.push(judge('shaped 1 Gbit/s link: Ferry >= 95% of link rate', null, skipReason ?? 'not run'));
  else if (!usable(shaped)) out.push(judge('shaped 1 Gbit/s link: Ferry >= 95% of link rate', false, 'no verified runs'));
  else {
    const share = (r: Row) => (r.mbPerSec * MB * 8) / linkRateBits;
    const ref = usable(shapedTcp) ? `; TCP pipe ${fmt(share(shapedTcp) * 100, 1)}%` : '';
    out.push(judge('shaped 1 Gbit/s link: Ferry >= 95% of link rate', share(shaped) >= 0.95, `${fmt(share(shaped) * 100, 1)}% (${mbs(shaped.mbPerSec)})${ref}`));
  }

  const counts = plan.smallFileCounts;
  const top = counts[counts.length - 1];
  const tar = findRow(rows, SCENARIO.small(top), 'tar-pipe');
  const ferrySmall = findRow(rows, SCENARIO.small(top), 'ferry');
  // The references of the same run (not judged): the save rule alone, and with the stack around it.
  const ref = (tool: Tool, label: string) => {
    const r = findRow(rows, SCENARIO.small(top), tool);
    return usable(tar) && usable(r) ? `; ${label} ${fmt(r.filesPerSec / tar.filesPerSec)}x` : '';
  };
  const saveNote = ref('tar-save', "tar + Ferry's save calls") + ref('ws-tls-save', 'ws + TLS + BLAKE3 + save') + ref('ws-tls-save-thread', 'the same, saving on a thread');
  out.push(
    usable(tar) && usable(ferrySmall)
      ? judge(`${top} small files: Ferry >= 0.5x tar pipe files/s`, ferrySmall.filesPerSec / tar.filesPerSec >= 0.5,
          `${fmt(ferrySmall.filesPerSec / tar.filesPerSec)}x (${fmt(ferrySmall.filesPerSec, 0)} vs ${fmt(tar.filesPerSec, 0)} files/s)${saveNote}`)
      : judge(`${top} small files: Ferry >= 0.5x tar pipe files/s`, false, 'no verified runs'),
  );

  const perCount = counts.map((n) => findRow(rows, SCENARIO.small(n), 'ferry'));
  if (perCount.every(usable)) {
    const rates = perCount.map((r) => r!.filesPerSec);
    const bestSmaller = Math.max(...rates.slice(0, -1));
    out.push(judge('small files: no slowdown as the count grows', rates[rates.length - 1] >= SLOWDOWN_TOLERANCE * bestSmaller,
      counts.map((n, i) => `${n}: ${fmt(rates[i], 0)}`).join(', ') + ' files/s'));
  } else out.push(judge('small files: no slowdown as the count grows', false, 'a count has no verified Ferry run'));

  // The RSS target is about file size; the one-batch-of-many row (--only many) shows file count.
  const ferryRows = rows.filter((r) => r.tool === 'ferry' && r.scenario !== SCENARIO.many(plan.manyFileCount));
  const sizeParts = (['large', 'small', 'huge', 'shaped'] as const).some((p) => plan.parts.has(p));
  if (!sizeParts) out.push(judge('peak RSS of each Ferry side < 200 MB (every run)', null, 'not selected with --only'));
  else if (ferryRows.length) {
    const worst = Math.max(...ferryRows.flatMap((r) => [r.senderPeakRss, r.receiverPeakRss]));
    out.push(judge('peak RSS of each Ferry side < 200 MB (every run)', worst < RSS_LIMIT, `max ${fmt(worst / MB, 0)} MB`));
  } else out.push(judge('peak RSS of each Ferry side < 200 MB (every run)', false, 'no Ferry runs'));

  const huge = findRow(rows, SCENARIO.huge, 'ferry');
  if (ferry && huge) {
    const grow = Math.max(huge.senderPeakRss - ferry.senderPeakRss, huge.receiverPeakRss - ferry.receiverPeakRss);
    out.push(judge(`peak RSS flat with file size (+<= ${FLAT_RSS_SLACK / MB} MB from large to huge)`, grow <= FLAT_RSS_SLACK,
      `sender ${fmt(ferry.senderPeakRss / MB, 0)} -> ${fmt(huge.senderPeakRss / MB, 0)} MB, receiver ${fmt(ferry.receiverPeakRss / MB, 0)} -> ${fmt(huge.receiverPeakRss / MB, 0)} MB`));
  } else out.push(judge('peak RSS flat with file size', false, 'no Ferry runs'));

  const unverified = rows.filter((r) => r.failedVerification > 0);
  out.push(judge('every run verified (SHA-256 of every destination file)', unverified.length === 0,
    unverified.length ? unverified.map((r) => `${r.tool} in ${r.scenario}: ${r.failedVerification} bad`).join('; ') : `${rows.reduce((a, r) => a + r.runs, 0)} runs`));
  return out;
}
