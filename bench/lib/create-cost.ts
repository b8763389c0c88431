// What creating a file costs on the bench's file system right now, and a wait until it is back to
// normal. On ext4 without a journal, for six minutes after a mass delete (anyone's: a previous
// bench run's cleanup, a build, a test run), each new file scans past the recently deleted inodes:
// ~150-300 us instead of ~15 (docs/BENCHMARKS.md). tar and Ferry both pay it, so the ratio moves
// with it, and a run measured in that window says more about the delete than about either tool.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export interface CreateCost {
  /** Microseconds per created file, at the last probe. */
  micros: number;
  /** Seconds spent waiting for it to come down. */
  waitedSeconds: number;
}

/** Above this a probe counts as slowed by recent deletes (calm: ~15 us on the development VM's root file system). */
export const CREATE_MICROS_NORMAL = 60;

const PROBE_FILES = 200;

let probes = 0;

/**
 * Microseconds per file to create PROBE_FILES empty files in a new folder under dir. The files
 * stay for the workspace cleanup: deleting them here would start the very slowdown measured.
 */
export function probeCreateCost(dir: string): number {
  const probe = join(dir, `create-probe-${++probes}`);
  mkdirSync(probe, { recursive: true });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < PROBE_FILES; i++) closeSync(openSync(join(probe, String(i)), 'w'));
  return Number(process.hrtime.bigint() - t0) / 1000 / PROBE_FILES;
}

/**
 * Probes until creating a file costs no more than CREATE_MICROS_NORMAL, pausing between probes,
 * for at most maxWaitMs (the window is six minutes). Says what it waits for; never throws for
 * a slow file system, the caller reports the last cost beside the figures.
 */
export async function waitForNormalCreateCost(dir: string, say: (line: string) => void, maxWaitMs = 7 * 60_000, pauseMs = 15_000): Promise<CreateCost> {
  const start = Date.now();
  let micros = probeCreateCost(dir);
  while (micros > CREATE_MICROS_NORMAL && Date.now() - start + pauseMs <= maxWaitMs) {
    say(`  creating a file costs ${micros.toFixed(0)} us here (recent deletes on this file system?); waiting for it to fall below ${CREATE_MICROS_NORMAL} us`);
    await new Promise((r) => setTimeout(r, pauseMs));
    micros = probeCreateCost(dir);
  }
  return { micros, waitedSeconds: Math.round((Date.now() - start) / 1000) };
}
