// Reads one source file for sending: positional reads straight into DATA frame buffers, one chunk
// of read-ahead, and the fstat check before the last frame (a file that changed while being sent
// must never arrive as a mix of old and new bytes).
// Named imports: bundled, `import * as fs` turns every call into a getter call on a module copy.
import { close as closeCb, closeSync, fstat as fstatCb, fstatSync, open as openCb, openSync, read as readCb, readSync, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { BLOCK_SIZE } from '../../../shared/protocol';
import { allocFrame, payloadStart } from '../protocol/frame';
import { digestOf } from './digest';
import type { SourceFile } from './scan';

const read = promisify(readCb);
const fstat = promisify(fstatCb);
const close = promisify(closeCb);
const open = promisify(openCb);

export interface Chunk {
  /** Frame buffer: header space, [digest space], payload. */
  buf: Buffer;
  pos: number;
  len: number;
  fileEnd: boolean;
}

export class TxCursor {
  private ahead: { pos: number; len: number; p: Promise<Chunk> } | null = null;
  private busy: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly src: SourceFile,
    private readonly fd: number,
    /** Small files are read synchronously: a few syscalls beat four thread-pool round trips. */
    private readonly sync: boolean,
  ) {}

  static async open(src: SourceFile, smallLimit: number): Promise<TxCursor> {
    const sync = src.size <= smallLimit;
    let fd: number;
    try {
      fd = sync ? openSync(src.abs, 'r') : await open(src.abs, 'r');
    } catch (err) {
      throw ioError(src, err);
    }
    const c = new TxCursor(src, fd, sync);
    // A small file is checked once, after its read (next() at its end): a check before the read
    // catches nothing the one after misses. Saves a syscall and a Stats object per small file.
    if (sync) return c;
    try {
      c.checkStat(await fstat(fd));
    } catch (err) {
      await c.close();
      throw err;
    }
    return c;
  }

  /** The chunk at `pos` of at most `size` bytes; starts reading the following one. */
  async next(pos: number, size: number): Promise<Chunk> {
    const len = Math.min(size, this.src.size - pos);
    let chunk: Chunk;
    if (this.ahead && this.ahead.pos === pos && this.ahead.len === len) chunk = await this.ahead.p;
    else {
      if (this.ahead) await this.ahead.p.catch(() => undefined);
      chunk = await this.readAt(pos, len);
    }
    this.ahead = null;
    const nextPos = pos + len;
    if (!this.sync && nextPos < this.src.size && !this.closed) {
      const nextLen = Math.min(size, this.src.size - nextPos);
      const p = this.readAt(nextPos, nextLen);
      p.catch(() => undefined);
      this.ahead = { pos: nextPos, len: nextLen, p };
    }
    if (chunk.fileEnd) this.checkStat(this.sync ? fstatSync(this.fd) : await fstat(this.fd));
    return chunk;
  }

  private readAt(pos: number, len: number): Promise<Chunk> {
    if (this.closed) return Promise.reject(new FerryError(ErrorCode.IO, 'read after close'));
    const fileEnd = pos + len === this.src.size;
    const buf = allocFrame(len, fileEnd);
    const at = payloadStart(fileEnd);
    const done = (n: number): Chunk => {
      if (n !== len) throw shorter(this.src);
      return { buf, pos, len, fileEnd };
    };
    if (this.sync) {
      try {
        return Promise.resolve(done(len ? readSync(this.fd, buf, at, len, pos) : 0));
      } catch (err) {
        return Promise.reject(err instanceof FerryError ? err : ioError(this.src, err));
      }
    }
    const p = this.readFully(buf, at, len, pos).then(done, (err) => {
      throw err instanceof FerryError ? err : ioError(this.src, err);
    });
    this.busy = p.catch(() => undefined);
    return p;
  }

  private async readFully(buf: Buffer, at: number, len: number, pos: number): Promise<number> {
    let got = 0;
    while (got < len) {
      const { bytesRead } = await read(this.fd, buf, at + got, len - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  }

  /** Digests of the blocks in [0, end) as the file is now (to check a resume point). */
  async hashPrefix(end: number): Promise<Buffer[]> {
    const out: Buffer[] = [];
    const buf = Buffer.allocUnsafe(BLOCK_SIZE);
    for (let pos = 0; pos < end; pos += BLOCK_SIZE) {
      const len = Math.min(BLOCK_SIZE, this.src.size - pos);
      const n = this.sync ? readSync(this.fd, buf, 0, len, pos) : await this.readFully(buf, 0, len, pos);
      if (n !== len) throw shorter(this.src);
      out.push(digestOf(buf.subarray(0, len)));
    }
    return out;
  }

  private checkStat(st: Stats): void {
    checkUnchanged(this.src, st);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ahead = null;
    await this.busy;
    if (this.sync) closeSync(this.fd);
    else await close(this.fd).catch(() => undefined);
  }
}

/**
 * Reads a whole small file into buf at `at` with a few direct calls (a file of a pack), checked
 * against the scan afterwards like the last chunk of any file.
 */
export function readWholeInto(src: SourceFile, buf: Buffer, at: number): void {
  let fd: number;
  try {
    fd = openSync(src.abs, 'r');
  } catch (err) {
    throw ioError(src, err);
  }
  try {
    let got = 0;
    while (got < src.size) {
      const n = readSync(fd, buf, at + got, src.size - got, got);
      if (n === 0) throw shorter(src);
      got += n;
    }
    checkUnchanged(src, fstatSync(fd));
  } catch (err) {
    throw err instanceof FerryError ? err : ioError(src, err);
  } finally {
    closeSync(fd);
  }
}

function checkUnchanged(src: SourceFile, st: Stats): void {
  if (st.size !== src.size || Math.floor(st.mtimeMs) !== src.mtime) {
    throw new FerryError(ErrorCode.SOURCE_CHANGED, `${src.abs} changed while it was being sent`);
  }
}

function shorter(src: SourceFile): FerryError {
  return new FerryError(ErrorCode.SOURCE_CHANGED, `${src.abs} got shorter while being sent`);
}

function ioError(src: SourceFile, err: unknown): FerryError {
  return new FerryError(ErrorCode.IO, `Cannot read ${src.abs}: ${(err as Error).message}`, { cause: err });
}
