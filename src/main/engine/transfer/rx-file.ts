// One file being received: checks each DATA frame against what it expects, hashes blocks as bytes
// arrive, writes to a temp file in coalesced positional writes, commits (fdatasync + journal) now
// and then, and renames the file into place once it verified. A file inside a folder is written to
// its own name in the folder's stage instead, which moves into place when the transfer ends.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ErrorCode, type ErrorInfo, FerryError } from '../../../shared/errors';
import { BLOCK_SIZE, CHUNK_MAX } from '../../../shared/protocol';
import { moveToUniqueName } from '../util/safe-names';
import type { DataFrame } from '../protocol/frame';
import type { Msg, OfferEntry } from '../protocol/messages';
import { BlockHasher, blockCount } from './block-hasher';
import { DIRECT_ALIGN, DIRECT_MIN_SIZE, directIoFits, openDirect, releaseAligned, takeAligned } from './direct-io';
import type { Journal } from './journal';
import { WHOLE_FILE_MAX, writeWholeFile } from './whole-file';

const WRITE_MAX = 4 * 1024 * 1024;
const COMMIT_BYTES = 16 * 1024 * 1024;
const COMMIT_MS = 250;
/**
 * Near the end of a file, a commit is also due once the bytes waiting for it reach what is still
 * to come (and at least this much), so the sync before the rename finds little left to flush: on
 * the shaped 1 Gbit/s link that sync took 14-21 ms of the time from the last byte to the saved file.
 */
const COMMIT_AHEAD_MIN = 4 * 1024 * 1024;
const MAX_REWINDS = 3;
const ZEROS = Buffer.alloc(CHUNK_MAX);

function isZero(b: Buffer): boolean {
  return b.length <= ZEROS.length && b.equals(ZEROS.subarray(0, b.length));
}

export interface RxHost {
  readonly downloadDir: string;
  readonly journal: Journal;
  /** The transfer's state file is on disk: no temp file is made before (a crash would orphan it). Rejects when it cannot be. */
  readonly stateSaved: Promise<void>;
  send(msg: Msg): void;
  /** A message that changed nothing: counted against the peer's control-message rate limit. */
  chargeControl(): void;
  ackDirty(f: RxFile): void;
  fileDone(f: RxFile, savedPath: string): void;
  fileFailed(f: RxFile, err: ErrorInfo): void;
  /** A failure of the whole transfer (disk full): partial data is kept. */
  fatal(err: FerryError): void;
  ensureDir(dir: string): Promise<void>;
  /** The state file is saved and dir was made and checked in this run (made now, if its parent was). */
  ready(dir: string): boolean;
  /** Throws E_BAD_NAME unless dir is still the folder ensureDir made and checked. */
  checkDir(dir: string): void;
  /** Bytes received but not yet written changed by delta (the flow-control check). */
  queued(delta: number): void;
}

export class RxFile {
  state: 'active' | 'verifying' | 'done' | 'failed' = 'active';
  /** Next offset expected on the wire. */
  expected: number;
  /** Contiguous bytes written to the OS. */
  written: number;
  committedBlocks: number;
  private verified: number;
  private readonly hasher: BlockHasher;
  private senderDigest: Buffer | null = null;
  private ignoring = false;
  private rewinds = 0;
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private truncateTo: number | null = null;
  private fd: FileHandle | null = null;
  /** Large files: a second, O_DIRECT descriptor for aligned writes, and the aligned buffer they are copied into. */
  private direct: { fd: FileHandle; staging: Buffer } | null = null;
  /** Length of the temp file as we left it. */
  private fileLen = 0;
  private writing = false;
  private idleWaiters: (() => void)[] = [];
  private lastCommitAt = Date.now();
  private writtenAtCommit: number;
  /** Commits run one at a time, beside the writes (an fdatasync must not stall the write loop). */
  private commitChain: Promise<void> = Promise.resolve();
  private committing = false;
  /** Blocks written to the journal (may run ahead of committedBlocks while a commit finishes). */
  private journaledBlocks: number;
  /** Bumped by every cut: a commit that straddles one journals nothing. */
  private cuts = 0;

  constructor(
    private readonly host: RxHost,
    readonly index: number,
    readonly entry: OfferEntry,
    /** Validated relative target path. */
    readonly target: string,
    /** Absolute temp path: beside the target, or (staged) the file's own name in its folder's stage. */
    readonly temp: string,
    /** In a folder's stage: saved where it is written, placed with its folder (folder-stage.ts). */
    readonly staged: boolean,
    committed: Buffer[],
  ) {
    this.hasher = new BlockHasher(entry.size, committed);
    this.committedBlocks = committed.length;
    this.verified = committed.length;
    this.expected = Math.min(committed.length * BLOCK_SIZE, entry.size);
    this.written = this.expected;
    this.writtenAtCommit = this.written;
    this.journaledBlocks = committed.length;
  }

  get size(): number {
    return this.entry.size;
  }

  get committedBytes(): number {
    return Math.min(this.committedBlocks * BLOCK_SIZE, this.size);
  }

  get committedDigests(): Buffer[] {
    return this.hasher.digests.slice(0, this.committedBlocks);
  }

  /** Checks and takes one DATA frame. Throws E_BAD_FRAME for anything out of order. */
  onFrame(fr: DataFrame): void {
    if (this.state === 'failed') return; // in flight when the file failed
    if (this.state !== 'active') throw new FerryError(ErrorCode.BAD_FRAME, `Data for file ${this.index}, which is already complete`);
    if (this.ignoring) return; // waiting for 'rewound'
    const len = fr.payload.length;
    const end = fr.offset + len;
    if (fr.offset !== this.expected) {
      throw new FerryError(ErrorCode.BAD_FRAME, `File ${this.index}: data at offset ${fr.offset}, expected ${this.expected}`);
    }
    if (end > this.size) throw new FerryError(ErrorCode.BAD_FRAME, `File ${this.index}: data past its size ${this.size}`);
    if ((end === this.size) !== (fr.fileDigest !== null)) {
      throw new FerryError(ErrorCode.BAD_FRAME, `File ${this.index}: the file-end flag must mark exactly the last frame`);
    }
    const whole = this.isWhole(fr);
    if (len > 0) this.hasher.update(fr.payload);
    if (len > 0 && !whole) {
      this.pending.push(fr.payload);
      this.setPending(this.pendingLen + len);
      this.expected = end;
      this.kick();
    }
    if (fr.fileDigest) {
      if (!this.hasher.fileDigest().equals(fr.fileDigest)) return this.rewind(this.verified);
      // The file digest covers every block digest: the blocks of the last frame get no block message.
      this.senderDigest = Buffer.from(fr.fileDigest);
      this.verified = blockCount(this.size);
      if (whole) this.takeWhole(fr.payload);
      else this.maybeFinish();
    }
  }

  /** A small file in one frame, with nothing of it on disk yet: it skips the write queue. */
  private isWhole(fr: DataFrame): boolean {
    return fr.offset === 0 && fr.fileDigest !== null && this.size <= WHOLE_FILE_MAX && !this.fd && !this.writing && this.truncateTo === null;
  }

  /** A whole small file whose digest matched: written and named without the write queue. */
  private takeWhole(data: Buffer): void {
    this.expected = this.written = this.size;
    this.state = 'verifying';
    this.host.ackDirty(this); // progress; the fileDone that follows is its ack
    void this.saveWhole(data);
  }

  private async saveWhole(data: Buffer): Promise<void> {
    try {
      const dir = dirname(this.temp);
      // Most small files find both ready: no await (each a turn of the event loop) before the write.
      if (!this.host.ready(dir)) {
        await this.host.stateSaved;
        await this.host.ensureDir(dir);
      }
      this.host.checkDir(dir); // one check covers writing and naming: no await between them
      writeWholeFile(this.temp, data);
      await this.place();
    } catch (err) {
      await this.onFinishError(err);
    }
  }

  onBlock(b: number, hex: string): void {
    // In flight when the file failed or we asked for a rewind, or covered by the file digest already.
    if (this.state === 'failed' || this.ignoring || (this.senderDigest && b < this.verified)) return this.host.chargeControl();
    if (this.state !== 'active' || b !== this.verified || b >= this.hasher.digests.length) {
      throw new FerryError(ErrorCode.BAD_MESSAGE, `File ${this.index}: digest for block ${b}, whose data has not arrived`);
    }
    if (this.hasher.digests[b].toString('hex') !== hex) return this.rewind(b);
    this.verified++;
    this.maybeFinish();
  }

  /** The sender restarts at `offset`: after our rewind, or on its own (its file changed under a resume). */
  onRewound(offset: number): void {
    if (this.state === 'failed') return this.host.chargeControl();
    if (this.state !== 'active' || offset > this.expected || (offset % BLOCK_SIZE !== 0 && offset !== this.expected)) {
      throw new FerryError(ErrorCode.BAD_MESSAGE, `File ${this.index}: cannot restart at ${offset}`);
    }
    if (offset < this.expected) this.cut(offset);
    else if (!this.ignoring) this.host.chargeControl(); // a restart where we already are
    this.ignoring = false;
  }

  /** The sender gave up on this file (it changed on its disk, could not be read...). */
  onSenderFailed(err: ErrorInfo): void {
    if (this.state === 'active') void this.fail(err, false);
  }

  private rewind(b: number): void {
    if (++this.rewinds > MAX_REWINDS) {
      void this.fail({ code: ErrorCode.INTEGRITY, message: `${this.entry.path} arrived damaged ${MAX_REWINDS + 1} times; giving up on it` }, true);
      return;
    }
    const offset = b * BLOCK_SIZE;
    this.cut(offset);
    this.ignoring = true;
    this.host.send({ t: 'rewind', f: this.index, offset });
  }

  /** Forgets everything from `offset` on (block aligned): hashes, queued bytes, written bytes. */
  private cut(offset: number): void {
    const b = Math.floor(offset / BLOCK_SIZE);
    this.hasher.truncate(b);
    this.verified = Math.min(this.verified, b);
    this.senderDigest = null;
    // Keep queued bytes below the cut: they belong to blocks that stay.
    let pos = this.expected - this.pendingLen;
    const keep: Buffer[] = [];
    for (const buf of this.pending) {
      if (pos >= offset) break;
      keep.push(pos + buf.length <= offset ? buf : buf.subarray(0, offset - pos));
      pos += buf.length;
    }
    this.pending = keep;
    this.setPending(keep.reduce((n, x) => n + x.length, 0));
    this.expected = Math.min(this.expected, offset);
    this.truncateTo = Math.min(this.truncateTo ?? Infinity, offset);
    this.cuts++;
    this.committedBlocks = Math.min(this.committedBlocks, b);
    if (this.journaledBlocks > b) {
      this.journaledBlocks = b;
      void this.host.journal.truncate(this.index, offset).catch(() => undefined);
    }
    this.kick();
  }

  private setPending(n: number): void {
    this.host.queued(n - this.pendingLen);
    this.pendingLen = n;
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = true;
    // Let the frames that arrived in this turn pile up, then write them in one go.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.state === 'active' || this.state === 'verifying') {
        if (!this.fd) await this.open();
        if (this.truncateTo !== null) {
          const t = this.truncateTo;
          this.truncateTo = null;
          await this.fd!.truncate(t);
          this.fileLen = t;
          this.written = Math.min(this.written, t);
          continue;
        }
        if (this.pendingLen === 0) break;
        await this.writeSome();
        this.commitIfDue();
      }
    } catch (err) {
      this.onIoError(err);
    } finally {
      this.writing = false;
      if (this.pendingLen > 0 && this.state === 'active') this.kick();
      else {
        this.idleWaiters.splice(0).forEach((w) => w());
        this.maybeFinish();
      }
    }
  }

  private async open(): Promise<void> {
    await this.host.stateSaved;
    await this.host.ensureDir(dirname(this.temp));
    this.host.checkDir(dirname(this.temp)); // made earlier in this run; not since swapped for a link
    if (this.written > 0) {
      this.fd = await fs.open(this.temp, 'r+');
      await this.fd.truncate(this.written); // drop whatever was written but never committed
    } else this.fd = await fs.open(this.temp, 'w');
    this.fileLen = this.written;
    if (this.size >= DIRECT_MIN_SIZE && (await directIoFits(dirname(this.temp)))) await this.openDirect();
    this.lastCommitAt = Date.now(); // the commit clock starts with the first write, not the accept
  }

  private async openDirect(): Promise<void> {
    const staging = takeAligned(WRITE_MAX);
    if (!staging) return;
    const fd = await openDirect(this.temp);
    if (fd) this.direct = { fd, staging };
    else releaseAligned(staging);
  }

  private async writeSome(): Promise<void> {
    const pos = this.expected - this.pendingLen;
    let n = 0;
    let k = 0;
    while (k < this.pending.length && (k === 0 || n + this.pending[k].length <= WRITE_MAX)) n += this.pending[k++].length;
    const bufs = this.pending.splice(0, k);
    this.setPending(this.pendingLen - n);
    if (pos >= this.fileLen && bufs.every(isZero)) {
      // Zeros past the end of the file: extend it instead, so sparse files stay sparse.
      await this.fd!.truncate(pos + n);
    } else if (!(await this.writeDirect(bufs, pos, n))) {
      const { bytesWritten } = await this.fd!.writev(bufs, pos);
      if (bytesWritten !== n) throw shortWrite(bytesWritten, n);
    }
    this.fileLen = Math.max(this.fileLen, pos + n);
    this.written = this.truncateTo !== null ? Math.min(pos + n, this.truncateTo) : pos + n;
    this.host.ackDirty(this);
  }

  /**
   * Writes bufs at pos through the direct descriptor when it and the range are aligned: every write
   * but a file's last, since chunks are multiples of 16 KiB and a file restarts only at a block.
   * False when the write must go through the page cache instead (unaligned, or direct I/O refused).
   */
  private async writeDirect(bufs: Buffer[], pos: number, n: number): Promise<boolean> {
    const d = this.direct;
    if (!d || pos % DIRECT_ALIGN !== 0 || n % DIRECT_ALIGN !== 0 || n > d.staging.length) return false;
    let at = 0;
    for (const b of bufs) at += b.copy(d.staging, at);
    try {
      const { bytesWritten } = await d.fd.write(d.staging, 0, n, pos);
      if (bytesWritten !== n) throw shortWrite(bytesWritten, n);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      await this.closeDirect(); // the file system does not take our alignment after all
      return false;
    }
  }

  private async closeDirect(): Promise<void> {
    const d = this.direct;
    this.direct = null;
    if (!d) return;
    releaseAligned(d.staging);
    await d.fd.close().catch(() => undefined);
  }

  /** Starts a commit when one is due and none is running (a running one checks again when done). */
  private commitIfDue(): void {
    // A file written to its end is synced and journalled by finish(); no block lines for it.
    if (this.committing || this.state !== 'active' || this.written === this.size) return;
    const waiting = this.written - this.writtenAtCommit;
    if (waiting <= 0) return;
    const ahead = waiting >= COMMIT_AHEAD_MIN && waiting >= this.size - this.written;
    if (ahead || waiting >= COMMIT_BYTES || Date.now() - this.lastCommitAt >= COMMIT_MS) this.commit().catch((err) => this.onIoError(err));
  }

  /** fdatasync, then journal the blocks that are both verified and on disk. After any running one. */
  commit(): Promise<void> {
    // The clock restarts now, not when this commit gets its turn: the write loop must not queue more.
    this.lastCommitAt = Date.now();
    this.writtenAtCommit = this.written;
    const run = this.commitChain.then(() => this.commitNow());
    this.commitChain = run.catch(() => undefined);
    return run;
  }

  private async commitNow(): Promise<void> {
    const full = this.written === this.size ? blockCount(this.size) : Math.floor(this.written / BLOCK_SIZE);
    const ready = Math.min(this.verified, full);
    const fd = this.fd;
    if (ready <= this.committedBlocks || !fd) return;
    const cuts = this.cuts;
    this.committing = true;
    try {
      await fd.datasync();
      if (cuts !== this.cuts || this.fd !== fd) return; // rewound or reopened meanwhile: next time
      const from = this.journaledBlocks;
      const lines = this.hasher.digests.slice(from, ready).map((d, i) => this.host.journal.block(this.index, from + i, d.toString('hex')));
      this.journaledBlocks = Math.max(from, ready);
      await Promise.all(lines);
      if (cuts !== this.cuts) return;
      this.committedBlocks = Math.max(this.committedBlocks, ready);
      this.host.ackDirty(this);
    } finally {
      this.committing = false;
      this.commitIfDue();
    }
  }

  private maybeFinish(): void {
    if (this.state !== 'active' || this.writing || this.pendingLen > 0 || this.truncateTo !== null) return;
    if (!this.senderDigest || this.written !== this.size || this.verified !== blockCount(this.size)) return;
    this.state = 'verifying';
    void this.finish();
  }

  private async finish(): Promise<void> {
    try {
      if (!this.fd) await this.open(); // an empty file never had a write
      await this.fd!.datasync(); // on disk before it gets its name: a crash never leaves a short file
      await this.closeFd();
      this.host.checkDir(dirname(this.temp)); // not swapped for a link while the file arrived
      await this.place();
    } catch (err) {
      await this.onFinishError(err);
    }
  }

  /** Gives the verified temp file its name; the caller has just checked its folder (checkDir). */
  private async place(): Promise<void> {
    if (this.state !== 'verifying') {
      await fs.rm(this.temp, { force: true }).catch(() => undefined); // cancelled meanwhile
      return;
    }
    const saved = nameVerified(this.temp, this.target, this.staged);
    this.committedBlocks = blockCount(this.size);
    // Journalled before the sender hears of it: after a crash in between, a resume must know the
    // file is saved rather than send it again as "name (1)".
    await this.host.journal.done({ index: this.index, savedPath: saved, staged: this.staged }).catch(() => undefined);
    this.state = 'done';
    this.host.fileDone(this, saved);
  }

  private async onFinishError(err: unknown): Promise<void> {
    if (err instanceof FerryError) await this.fail(err.toInfo(), true);
    else this.onIoError(err);
  }

  private onIoError(err: unknown): void {
    if (this.state === 'failed' || this.state === 'done') return;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      this.host.fatal(new FerryError(ErrorCode.NO_SPACE, `The disk holding ${this.host.downloadDir} is full`));
      return;
    }
    void this.fail({ code: ErrorCode.IO, message: `Cannot write ${this.entry.path}: ${(err as Error).message}` }, true);
  }

  /** Gives up on this file: its temp data goes, the peer is told (unless it told us). */
  async fail(err: ErrorInfo, tellPeer: boolean): Promise<void> {
    if (this.state === 'failed' || this.state === 'done') return;
    this.state = 'failed';
    this.pending = [];
    this.setPending(0);
    if (tellPeer) this.host.send({ t: 'fileFailed', f: this.index, code: err.code, message: err.message });
    await this.waitIdle();
    await this.closeFd();
    await fs.rm(this.temp, { force: true }).catch(() => undefined);
    await this.host.journal.failed(this.index).catch(() => undefined);
    this.host.fileFailed(this, err);
  }

  /** Connection gone or pausing: write out what is queued and commit it. Keeps the temp file. */
  async suspend(closeFile: boolean): Promise<void> {
    await this.waitIdle();
    if (this.state === 'active') {
      try {
        await this.commit();
      } catch {
        /* the next session recomputes from the journal */
      }
    }
    if (closeFile && this.state !== 'verifying') await this.closeFd();
  }

  /** Cancel: drop the temp data. */
  async discard(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'failed';
    this.pending = [];
    this.setPending(0);
    await this.waitIdle();
    await this.closeFd();
    await fs.rm(this.temp, { force: true }).catch(() => undefined);
  }

  private waitIdle(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async closeFd(): Promise<void> {
    await this.commitChain; // never close under a running fdatasync
    const fd = this.fd;
    this.fd = null;
    await this.closeDirect();
    await fd?.close().catch(() => undefined);
  }
}

/**
 * Gives a verified file written at temp its name, and returns where it is: a staged file already is
 * at its own name (its folder moves later); one at the top goes from its temp file to the target's
 * name, or "name (1)"... when that is taken.
 */
export function nameVerified(temp: string, target: string, staged: boolean): string {
  return staged ? temp : moveToUniqueName(temp, dirname(temp), basename(target));
}

function shortWrite(written: number, wanted: number): Error {
  return Object.assign(new Error(`short write (${written} of ${wanted} bytes)`), { code: 'ENOSPC' });
}
