// Talks to a child process that speaks JSON lines: commands on stdin, events on stdout.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { toErrorInfo } from '../../src/shared/errors';

export type Event = { ev: string; [k: string]: unknown };

export class LineChild {
  readonly events: (Event & { at: number })[] = [];
  private waiters: { pred: (e: Event) => boolean; resolve: (e: Event & { at: number }) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      let e: Event;
      try {
        e = JSON.parse(line) as Event;
      } catch {
        return; // not ours (a stray print)
      }
      const stamped = { ...e, at: Date.now() };
      this.events.push(stamped);
      this.waiters = this.waiters.filter((w) => !(w.pred(e) && (w.resolve(stamped), true)));
    });
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
  }

  send(cmd: Record<string, unknown>): void {
    this.proc.stdin!.write(JSON.stringify(cmd) + '\n');
  }

  /** The first event (past or future) that passes `pred`; rejects after `ms` (hang guard). */
  wait(pred: (e: Event) => boolean, ms: number, what = 'event'): Promise<Event & { at: number }> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Only events after this moment count for the next wait. */
  clear(): void {
    this.events.length = 0;
  }
}

/** The child side: writes one JSON event per line. */
export const emit = (e: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(e) + '\n');

/**
 * The child side: runs `{cmd, ...}` lines from stdin through `commands`, writes each result
 * (or {ev:'error', cmd, error}) as an event, and exits after 'stop'.
 */
export function serveCommands<C extends { cmd: string }>(commands: Record<string, (c: C) => Promise<Record<string, unknown>>>): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    const c = JSON.parse(line) as C;
    const run = commands[c.cmd] ?? (() => Promise.reject(new Error(`unknown command ${c.cmd}`)));
    run(c).then(
      (e) => {
        emit(e);
        if (c.cmd === 'stop') process.exit(0);
      },
      (err: unknown) => emit({ ev: 'error', cmd: c.cmd, error: toErrorInfo(err) }),
    );
  });
}

/** The child side: reports a start-up failure as an event the parent waits for, then exits. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    emit({ ev: 'fatal', error: String(err) });
    process.exit(1);
  });
}
