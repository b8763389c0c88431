// Shared by every bench worker: config in, JSON lines out, and this process's own CPU and peak RSS.
// Workers are bundled by esbuild and run as plain `node worker.js '<json>'`, so they never load tsx.
import type { SideStats, WorkerMessage } from '../lib/types';

export function config<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function emit(msg: WorkerMessage): void {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

/** Wall clock in ms with sub-ms precision, comparable between processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Starts a CPU window now; the returned function reports CPU since then and peak RSS since process start. */
export function startStats(): () => SideStats {
  const cpu0 = process.cpuUsage();
  const memory = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(memory) as (keyof typeof memory)[]) memory[k] = Math.max(memory[k], m[k]);
  };
  const timer = setInterval(sample, 100).unref();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    sample();
    return {
      userSeconds: cpu.user / 1e6,
      systemSeconds: cpu.system / 1e6,
      // getrusage ru_maxrss, the same number as VmHWM in /proc/<pid>/status (KiB).
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      memory,
    };
  };
}

/** Resolves when the parent closes our stdin: it has what it needs from every worker of the pair. */
export function released(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on('data', () => undefined).once('end', resolve).resume();
  });
}

/** Reports a failure the parent can show, then exits non-zero. */
export function fail(err: unknown): never {
  emit({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
