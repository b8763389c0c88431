// One measured transfer: receiver worker up, sender worker started, both report, destination verified.
// Time runs from the sender's start (before connecting) to the receiver's last byte on disk.
import type { RunResult, Tool } from './types';
import { startWorker, type StartOptions, type WorkerName } from './workers';

export interface Side<C> {
  worker: WorkerName;
  cfg: C;
  netns?: string;
}

export interface PairSpec {
  scenario: string;
  tool: Tool;
  /** Payload bytes and files moved (what the user asked to send). */
  bytes: number;
  files: number;
  receiver: Side<object>;
  /** Gets the receiver's ready message (port, fingerprint) to build its config. */
  sender: Side<(ready: { port?: number; fingerprint?: string }) => object>;
  /** Null when the destination matches the source, else the difference. */
  verify: () => Promise<string | null>;
  nodeArgs?: string[];
}

/** A hang guard, not a measurement: 2 minutes plus 2 MB/s worth of data. */
const timeoutFor = (bytes: number) => 120_000 + bytes / 2_000;

export async function runPair(bundleDir: string, spec: PairSpec): Promise<RunResult> {
  const timeout = timeoutFor(spec.bytes);
  const opts = (netns?: string): StartOptions => ({ netns, nodeArgs: spec.nodeArgs });
  const receiver = startWorker(bundleDir, spec.receiver.worker, spec.receiver.cfg, opts(spec.receiver.netns));
  let sender: ReturnType<typeof startWorker> | undefined;
  try {
    const ready = await receiver.next('ready', 30_000);
    sender = startWorker(bundleDir, spec.sender.worker, spec.sender.cfg(ready), opts(spec.sender.netns));
    const [sent, received] = await Promise.all([sender.next('done', timeout), receiver.next('done', timeout)]);
    // Workers exit on their own after 'done' (the Ferry receiver once released, so it never
    // goes away under a sender that is still finishing); one that lingers is killed in finally.
    sender.release();
    receiver.release();
    await Promise.race([Promise.all([sender.exited, receiver.exited]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    if (sent.t0 === undefined || received.t1 === undefined) throw new Error(`${spec.tool}: a worker did not report its time`);
    const mismatch = await spec.verify();
    return {
      scenario: spec.scenario,
      tool: spec.tool,
      bytes: spec.bytes,
      files: spec.files,
      seconds: (received.t1 - sent.t0) / 1000,
      sender: sent.stats,
      receiver: received.stats,
      verified: mismatch === null,
      ...(mismatch ? { mismatch } : {}),
    };
  } finally {
    sender?.kill();
    receiver.kill();
  }
}
