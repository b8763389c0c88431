// Append-only journal of one incoming transfer (PROTOCOL.md section 8): committed block digests,
// truncations and finished files, one line each. Lines queued while a write is running go out
// together in the next write, so thousands of small files cost a handful of appends.
import { appendFileSync, promises as fs } from 'node:fs';
import { BLOCK_SIZE } from '../../../shared/protocol';

export interface JournalFile {
  /** Committed block digests (hex), in order. */
  blocks: string[];
  savedPath?: string;
  /** Saved under its own name in its folder's stage, which the state file names (its temp path). */
  staged?: boolean;
  failed?: boolean;
}

/** A finished file: where it was saved, and whether that is its staged path. */
export interface SavedFile {
  index: number;
  savedPath: string;
  staged: boolean;
}

export class Journal {
  private queued: string[] = [];
  private waiters: (() => void)[] = [];
  private failers: ((e: unknown) => void)[] = [];
  private writing = false;
  private gate: Promise<void> = Promise.resolve();
  /** `gate` has settled: lines may be written at once. */
  private gateOpen = true;

  constructor(readonly path: string) {}

  /** Lines wait for `p`: a journal must never speak of a transfer whose state file is not on disk. */
  after(p: Promise<void>): void {
    this.gate = p;
    this.gateOpen = false;
    const open = () => {
      if (this.gate === p) this.gateOpen = true;
    };
    p.then(open, open);
  }

  block(f: number, b: number, hex: string): Promise<void> {
    return this.append(`b ${f} ${b} ${hex}`);
  }
  truncate(f: number, offset: number): Promise<void> {
    return this.append(`t ${f} ${offset}`);
  }
  done(f: SavedFile): Promise<void> {
    return this.append(doneLine(f));
  }
  /** Several files saved at once: one promise for all their lines. */
  doneMany(files: readonly SavedFile[]): Promise<void> {
    return this.append(...files.map(doneLine));
  }
  failed(f: number): Promise<void> {
    return this.append(`x ${f}`);
  }

  /**
   * With nothing ahead of them, lines are written at once, synchronously: one open, write and close
   * (~20 us for the ~60 files of a message). Queued for the thread pool instead, each append took
   * three round trips while the event loop was busy saving files; the done reports that wait for
   * it came in bursts 35-65 ms apart, the sender's window filled with files saved but not yet
   * reported, and the receiver sat idle.
   */
  private append(...lines: string[]): Promise<void> {
    if (this.gateOpen && !this.writing && this.queued.length === 0) {
      try {
        appendFileSync(this.path, lines.join('\n') + '\n');
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err);
      }
    }
    this.queued.push(...lines);
    const p = new Promise<void>((resolve, reject) => {
      this.waiters.push(resolve);
      this.failers.push(reject);
    });
    if (!this.writing) void this.flush();
    return p;
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.queued.length) {
      await this.gate;
      const lines = this.queued;
      const waiters = this.waiters;
      const failers = this.failers;
      this.queued = [];
      this.waiters = [];
      this.failers = [];
      try {
        await fs.appendFile(this.path, lines.join('\n') + '\n');
        waiters.forEach((w) => w());
      } catch (err) {
        failers.forEach((f) => f(err));
      }
    }
    this.writing = false;
  }
}

/**
 * A staged file is saved at the path the state file already holds: its line skips it. A batch of
 * 10,000 files journalled ~2.5 MB of paths, a fifth of what the receiver allocated while saving.
 */
function doneLine(f: SavedFile): string {
  return f.staged ? `s ${f.index}` : `d ${f.index} ${JSON.stringify(f.savedPath)}`;
}

/** Replays a journal; a torn or garbled line (crash mid-append) is skipped. */
export async function readJournal(path: string): Promise<Map<number, JournalFile>> {
  const files = new Map<number, JournalFile>();
  let text = '';
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const get = (f: number) => files.get(f) ?? files.set(f, { blocks: [] }).get(f)!;
  for (const line of text.split('\n')) {
    const [kind, fs_, a, b] = line.split(' ');
    const f = Number(fs_);
    if (!Number.isSafeInteger(f) || f < 0) continue;
    if (kind === 'b' && /^[0-9a-f]{64}$/.test(b ?? '') && Number(a) === get(f).blocks.length) get(f).blocks.push(b);
    else if (kind === 't' && Number.isSafeInteger(Number(a))) get(f).blocks.length = Math.min(get(f).blocks.length, Math.floor(Number(a) / BLOCK_SIZE));
    else if (kind === 'd') {
      try {
        get(f).savedPath = JSON.parse(line.slice(line.indexOf(' ', 2) + 1)) as string;
      } catch {
        /* torn line */
      }
    } else if (kind === 's') get(f).staged = true;
    else if (kind === 'x') get(f).failed = true;
  }
  return files;
}
