// Shapes shared by the harness, the workers and the report.

/** One side's cost: CPU during the transfer window, peak resident memory over the process's life. */
export interface SideStats {
  userSeconds: number;
  systemSeconds: number;
  peakRssBytes: number;
  /** Highest of each process.memoryUsage() field, sampled every 100 ms: where the RSS goes. */
  memory?: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

export type WorkerMessage =
  | { type: 'ready'; port?: number; fingerprint?: string }
  /** t0 (sender) / t1 (receiver): wall clock in ms, see workers/common.ts now(). */
  | { type: 'done'; t0?: number; t1?: number; bytes?: number; files?: number; stats: SideStats }
  | { type: 'error'; message: string };

export type Tool = 'ferry' | 'tcp-pipe' | 'tar-pipe' | 'tar-save' | 'ws-tls-save' | 'ws-tls-save-thread' | 'ws-tls' | 'ws-tls-hash' | 'ws-plain' | 'ws-aead';

export interface RunResult {
  scenario: string;
  tool: Tool;
  bytes: number;
  files: number;
  seconds: number;
  sender: SideStats;
  receiver: SideStats;
  /** Destination compared with the source (SHA-256 of every file). */
  verified: boolean;
  /** Why verification failed, when it did. */
  mismatch?: string;
}

export const MB = 1e6;
export const GB = 1e9;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export const mbPerSec = (r: RunResult) => r.bytes / MB / r.seconds;
export const filesPerSec = (r: RunResult) => r.files / r.seconds;
export const cpuSeconds = (s: SideStats) => s.userSeconds + s.systemSeconds;
/** CPU seconds one side spent per GB (10^9 bytes) moved. */
export const cpuPerGB = (r: RunResult, s: SideStats) => cpuSeconds(s) / (r.bytes / GB);
