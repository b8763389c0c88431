// The real `ferry` CLI as a child process in its own process group (so kill -9 takes all of it),
// with its --json events parsed as they come. Every child is killed when the test process ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'index.ts');
const live = new Set<CliChild>();

export type CliEvent = { event: string; [k: string]: unknown };

export class CliChild {
  readonly events: CliEvent[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';
  private waiters: { pred: (e: CliEvent) => boolean; resolve: (e: CliEvent) => void }[] = [];
  private readonly proc: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      detached: true, // own process group: kill(-pid) reaches every process it started
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    live.add(this);
    this.exited = new Promise((r) =>
      this.proc.once('exit', (code, sig) => {
        live.delete(this);
        r(code ?? (sig ? -1 : null));
      }),
    );
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      let e: CliEvent;
      try {
        e = JSON.parse(line) as CliEvent;
      } catch {
        return;
      }
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => !(w.pred(e) && (w.resolve(e), true)));
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** The first event (past or future) passing `pred`; rejects after `ms` or when the child exits first. */
  wait(pred: (e: CliEvent) => boolean, ms: number, what = 'event'): Promise<CliEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; stderr: ${this.stderr}`)), ms);
      void this.exited.then((code) =>
        setTimeout(() => {
          clearTimeout(timer);
          const e = this.events.find(pred);
          if (e) resolve(e);
          else reject(new Error(`exited (${code}) before ${what}; stderr: ${this.stderr}`));
        }, 50),
      );
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** kill -9 of the whole process group; resolves once it is gone. */
  async kill9(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
  }
}

/** A TCP port that was free a moment ago (the receiver must keep one port across restarts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export function receiverArgs(o: { port: number; dir: string; stateDir: string }): string[] {
  return ['receive', '--json', '--accept', 'all', '--no-discovery', '--port', String(o.port), '--dir', o.dir, '--state-dir', o.stateDir];
}

export function senderArgs(o: { paths: string[]; port: number; stateDir: string }): string[] {
  return ['send', ...o.paths, '--to', `127.0.0.1:${o.port}`, '--json', '--state-dir', o.stateDir];
}

/** Kills every child still running (the test failed or timed out). */
export function killAll(): void {
  for (const c of [...live]) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
process.once('exit', killAll);
