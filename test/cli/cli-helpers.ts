// Runs the real `ferry` CLI as child processes (node --import tsx src/cli/index.ts) and reads
// its JSON lines. Every wait has a deadline so a broken CLI fails the test instead of hanging it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'src', 'cli', 'index.ts');

// Children must never outlive the test process, even when a test times out before its cleanup:
// they do not keep it alive (unref), and whatever still runs at exit is killed.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface CliRun {
  child: ChildProcess;
  events: Record<string, unknown>[];
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  waitFor(pred: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Waits for human output on stdout matching re. */
  waitForText(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, FERRY_DISCOVERY_INTERFACES: 'lo', FERRY_LOG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.unref();
  (child.stdout as unknown as { unref(): void }).unref();
  (child.stderr as unknown as { unref(): void }).unref();
  let out = '';
  let err = '';
  let partial = '';
  const events: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        events.push(JSON.parse(line));
      } catch {
        // not JSON (human output)
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  exited.then(() => {
    for (const w of waiters) w();
  });
  const waitFor = (pred: (e: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    waitUntil(() => events.find(pred), timeoutMs);
  const waitForText = (re: RegExp, timeoutMs = 60_000) => waitUntil(() => out.match(re) ?? undefined, timeoutMs);
  const waitUntil = <T>(probe: () => T | undefined, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      let done = false;
      const check = () => {
        const hit = probe();
        if (hit && !done) {
          done = true;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        } else if (child.exitCode !== null && !done) {
          done = true;
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`ferry ${args[0]} exited (${child.exitCode}) before the event; stderr: ${err}`));
        }
      };
      const timer = setTimeout(() => {
        done = true;
        waiters.delete(check);
        reject(new Error(`timed out waiting for an event from ferry ${args[0]}; stdout: ${out.slice(-2000)} stderr: ${err}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { child, events, stdout: () => out, stderr: () => err, exited, waitFor, waitForText };
}

/** Exit code within timeoutMs, or a failure (and the child is killed). */
export async function exitCode(run: CliRun, timeoutMs = 90_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`ferry did not exit within ${timeoutMs} ms; stderr: ${run.stderr()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops a child we started (by its pid) and waits for it. */
export async function stop(run: CliRun, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
  return exitCode(run, 15_000);
}

/** A receiver with --json on a free port; resolves once it listens. */
export async function startReceiver(dir: string, stateDir: string, extra: string[] = []): Promise<{ run: CliRun; port: number; fingerprint: string }> {
  const run = runCli(['receive', '--dir', dir, '--state-dir', stateDir, '--json', '--port', '0', '--no-discovery', '--accept', 'all', ...extra]);
  const ev = await run.waitFor((e) => e.event === 'listening');
  return { run, port: ev.port as number, fingerprint: ev.fingerprint as string };
}
