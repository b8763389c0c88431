// Everything the CLI prints goes through here: JSON lines on stdout with --json, sentences
// otherwise; failures always get one line on stderr with their code.
import type { ErrorInfo } from '../shared/errors';

/** Lines held back at most this long in bytes before they are written anyway. */
const FLUSH_BYTES = 64 * 1024;

/** Outputs holding lines not written yet: the process writes them before it exits (flushOutputs). */
const holding = new Set<Output>();

export class Output {
  private pending = '';

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** One JSON object per line (only with --json). */
  event(obj: Record<string, unknown>): void {
    if (this.json) this.line(JSON.stringify(obj));
  }

  /** A sentence for a person (only without --json). */
  say(text: string): void {
    if (!this.json) this.line(text);
  }

  /** A remark on stderr in both modes (never on stdout, which --json keeps machine-readable). */
  note(text: string): void {
    this.flush(); // what was said before it shows before it
    this.stderr.write(text + '\n');
  }

  /** The one-line reason for a failure, on stderr; with --json also as an event. */
  fail(err: ErrorInfo, extra: Record<string, unknown> = {}): void {
    this.event({ event: 'error', ...extra, code: err.code, message: err.message });
    this.flush();
    this.stderr.write(`ferry: ${err.code}: ${oneLine(err.message)}\n`);
  }

  /** Writes the lines held back so far. */
  flush(): void {
    holding.delete(this);
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.stdout.write(text);
  }

  /**
   * Lines go out together once per turn of the event loop: a batch of 10,000 small files is a
   * line per file, and a write each was 10,000 system calls on the receiver's one thread.
   */
  private line(text: string): void {
    this.pending += text + '\n';
    if (this.pending.length >= FLUSH_BYTES) return this.flush();
    if (holding.has(this)) return;
    holding.add(this);
    setImmediate(() => this.flush());
  }
}

/** Writes every line still held back; the CLI calls it before it exits. */
export function flushOutputs(): void {
  for (const out of holding) out.flush();
}

export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
