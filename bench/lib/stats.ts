// Aggregates repeated runs of one tool in one scenario into the numbers the table prints.
import { cpuPerGB, cpuSeconds, filesPerSec, mbPerSec, type RunResult, type Tool } from './types';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Row {
  scenario: string;
  tool: Tool;
  runs: number;
  /** Runs whose destination did not match the source; they are left out of every number. */
  failedVerification: number;
  bytes: number;
  files: number;
  mbPerSec: number;
  filesPerSec: number;
  senderCpuPerGB: number;
  receiverCpuPerGB: number;
  /** CPU seconds per wall second (1 = one core busy all the time): low means the side waited. */
  senderBusy: number;
  receiverBusy: number;
  /** Highest over the runs. */
  senderPeakRss: number;
  receiverPeakRss: number;
}

/** One row per (scenario, tool), in first-seen order; medians over verified runs. */
export function summarize(results: RunResult[]): Row[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.scenario}\u0000${r.tool}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const ok = rs.filter((r) => r.verified);
    return {
      scenario: rs[0].scenario,
      tool: rs[0].tool,
      runs: rs.length,
      failedVerification: rs.length - ok.length,
      bytes: rs[0].bytes,
      files: rs[0].files,
      mbPerSec: median(ok.map(mbPerSec)),
      filesPerSec: median(ok.map(filesPerSec)),
      senderCpuPerGB: median(ok.map((r) => cpuPerGB(r, r.sender))),
      receiverCpuPerGB: median(ok.map((r) => cpuPerGB(r, r.receiver))),
      senderBusy: median(ok.map((r) => cpuSeconds(r.sender) / r.seconds)),
      receiverBusy: median(ok.map((r) => cpuSeconds(r.receiver) / r.seconds)),
      senderPeakRss: Math.max(...rs.map((r) => r.sender.peakRssBytes)),
      receiverPeakRss: Math.max(...rs.map((r) => r.receiver.peakRssBytes)),
    };
  });
}

export function findRow(rows: Row[], scenario: string, tool: Tool): Row | undefined {
  return rows.find((r) => r.scenario === scenario && r.tool === tool);
}
