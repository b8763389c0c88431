// Progress of one transfer: JSON events at least every 500 ms while bytes move, or a bar that
// redraws in place on a terminal, or a plain line every few seconds when stderr is a file.
import { formatBytes, formatEta, formatSpeed } from './format';
import type { Output } from './output';

const JSON_EVERY_MS = 250;
const TTY_EVERY_MS = 100;
const LINE_EVERY_MS = 2_000;
const BAR_WIDTH = 24;

export interface ProgressSample {
  bytes: number;
  total: number;
  speed: number;
  eta: number | null;
}

export class ProgressView {
  private lastAt = 0;
  private lastBytes = -1;
  private drawn = false;

  constructor(
    private readonly out: Output,
    private readonly extra: Record<string, unknown> = {},
    private readonly tty: boolean = !!process.stderr.isTTY,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  update(s: ProgressSample, now = Date.now()): void {
    const every = this.out.json ? JSON_EVERY_MS : this.tty ? TTY_EVERY_MS : LINE_EVERY_MS;
    if (now - this.lastAt < every || s.bytes === this.lastBytes) return;
    this.show(s, now);
  }

  /** The last word: always shown, and the bar gets its line ending. */
  finish(s: ProgressSample): void {
    if (s.bytes !== this.lastBytes || this.out.json) this.show(s, Date.now());
    if (this.drawn && this.tty && !this.out.json) this.stderr.write('\n');
    this.drawn = false;
  }

  /** On failure: close what was shown, and say nothing if nothing was. */
  abandon(s: ProgressSample): void {
    if (this.lastBytes >= 0) this.finish(s);
  }

  private show(s: ProgressSample, now: number): void {
    this.lastAt = now;
    this.lastBytes = s.bytes;
    if (this.out.json) {
      this.out.event({ event: 'progress', ...this.extra, bytes: s.bytes, total: s.total, speed: Math.round(s.speed) });
      return;
    }
    const text = describe(s);
    if (this.tty) {
      const filled = s.total ? Math.round((s.bytes / s.total) * BAR_WIDTH) : BAR_WIDTH;
      this.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${text}\x1b[K`);
      this.drawn = true;
    } else {
      this.stderr.write(text + '\n');
    }
  }
}

export function describe(s: ProgressSample): string {
  const pct = s.total ? Math.floor((s.bytes / s.total) * 100) : 100;
  const amounts = `${String(pct).padStart(3)}%  ${formatBytes(s.bytes)} / ${formatBytes(s.total)}`;
  // Done: the summary line that follows gives the average speed; a "0 B/s" here would only confuse.
  if (s.bytes >= s.total) return amounts;
  // No rate measured yet (the first moments, or stalled): say so rather than "0 B/s".
  return `${amounts}  ${s.speed > 0 ? formatSpeed(s.speed) : '--'}  ETA ${formatEta(s.eta)}`;
}
