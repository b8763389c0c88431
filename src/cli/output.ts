// Everything the CLI prints goes through here: JSON lines on stdout with --json, sentences
// otherwise; failures always get one line on stderr with their code.
import type { ErrorInfo } from '../shared/errors';

export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** One JSON object per line (only with --json). */
  event(obj: Record<string, unknown>): void {
    if (this.json) this.stdout.write(JSON.stringify(obj) + '\n');
  }

  /** A sentence for a person (only without --json). */
  say(text: string): void {
    if (!this.json) this.stdout.write(text + '\n');
  }

  /** A remark on stderr in both modes (never on stdout, which --json keeps machine-readable). */
  note(text: string): void {
    this.stderr.write(text + '\n');
  }

  /** The one-line reason for a failure, on stderr; with --json also as an event. */
  fail(err: ErrorInfo, extra: Record<string, unknown> = {}): void {
    this.event({ event: 'error', ...extra, code: err.code, message: err.message });
    this.stderr.write(`ferry: ${err.code}: ${oneLine(err.message)}\n`);
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
