// One outgoing transfer (batch): connects, offers, streams the accepted files back to back under
// flow control, answers rewinds, and reconnects and resumes after a drop (PROTOCOL.md 6-8).
import { ErrorCode, type ErrorInfo, FerryError, toErrorInfo } from '../../../shared/errors';
import { BLOCK_SIZE, PACK_FILE_MAX, PACK_HEADER_BYTES, PACK_MAX_FILES, RECONNECT_MAX_MS, RECONNECT_MIN_MS } from '../../../shared/protocol';
import type { FileProgress } from '../../../shared/types';
import type { Logger } from '../log';
import { packEntryEnd, payloadStart, writeHeader, writePackEntry, writePackHeader } from '../protocol/frame';
import type { Msg, MsgOf } from '../protocol/messages';
import type { Connection } from '../transport/connection';
import { ChunkController } from '../util/chunk-controller';
import { rangesInOrder } from '../util/index-ranges';
import { BlockHasher, blockCount } from './block-hasher';
import { digestOf } from './digest';
import type { OutgoingState, OutgoingStore } from './outgoing-store';
import { type RecordSink, TransferRecord } from './record';
import { offerEntryOf } from './scan';
import { readWholeInto, TxCursor } from './tx-cursor';

/** Only hand ws another frame while less than this is queued locally: pause/cancel stay instant. */
const LOW_WATER = 1024 * 1024;
/**
 * File bytes in one pack at most (a chunk, when that is less). Measured against one chunk (up to
 * 1 MiB of files here): the same speed, and on a 100,000-file batch the sender peaked at 224-270 MB
 * RSS instead of 275, with fewer large buffers waiting for a collection.
 */
const PACK_BYTES_MAX = 256 * 1024;
/** Yield to the event loop after this many frames in a row (many small files). */
const FRAMES_PER_TURN = 64;
const RETRYABLE: ReadonlySet<string> = new Set([ErrorCode.CONNECTION_LOST, ErrorCode.TIMEOUT, ErrorCode.UNREACHABLE, ErrorCode.TLS]);

/** A connection to the receiver, and how many files of the offer it already has in parts. */
export interface OfferLink {
  conn: Connection;
  offered: number;
}

export interface SenderDeps {
  /** Opens a connection to the receiver (pinned to its fingerprint once known). */
  dial(): Promise<OfferLink>;
  store: OutgoingStore;
  sink: RecordSink;
  logger: Logger;
  reconnectWindowMs: number;
  onFinal(t: OutgoingTransfer): void;
}

type TxState = 'pending' | 'sending' | 'sent' | 'done' | 'failed' | 'skipped';

/** Where the receiver wants a file from: its committed offset and the digests of the blocks below. */
interface StartAt {
  offset: number;
  blocks: readonly string[];
}
/** Shared by every file of an accept's `fresh` ranges (100,000 of them in one batch). */
const FROM_START: StartAt = Object.freeze({ offset: 0, blocks: Object.freeze([]) });
/** The reset of every accepted file: one shared patch, not one per file. */
const PENDING = Object.freeze({ state: 'pending' } as const);

interface TxFile {
  index: number;
  state: TxState;
  /** Next offset to send. */
  pos: number;
  sentEnd: number;
  acked: number;
  /** The receiver's last reported committed offset: an ack must move this or `acked`. */
  committed: number;
  hasher: BlockHasher | null;
  /** The receiver's committed digests below pos, to check before resuming. */
  resumeBlocks: readonly string[] | null;
}

export class OutgoingTransfer {
  readonly record: TransferRecord;
  private conn: Connection | null = null;
  private handle = -1;
  private files: TxFile[];
  /** Files still to send, the next one last: pop() is O(1), while shift() on 100,000 entries copied the array each time. */
  private toSend: number[] = [];
  private cur: TxCursor | null = null;
  private curFile: TxFile | null = null;
  private inFlight = 0;
  private sentLog: { f: number; end: number; at: number; len: number }[] = [];
  private controller = new ChunkController();
  private localPaused = false;
  private remotePaused = false;
  private pumping = false;
  private pumpAgain = false;
  private stopWait: (() => void) | null = null;
  private persistTimer: NodeJS.Timeout | null = null;

  constructor(
    public state: OutgoingState,
    private readonly deps: SenderDeps,
  ) {
    const done = new Set(state.done);
    const files: FileProgress[] = state.files.map((f, i) => ({
      index: i,
      path: f.path,
      size: f.size,
      bytesDone: done.has(i) ? f.size : 0,
      state: done.has(i) ? 'completed' : 'pending',
    }));
    this.record = new TransferRecord(state.transferId, 'out', state.peer, files, deps.sink, state.createdAt);
    this.files = state.files.map((_, i) => ({ index: i, state: 'pending', pos: 0, sentEnd: 0, acked: 0, committed: 0, hasher: null, resumeBlocks: null }));
  }

  get id(): string {
    return this.state.transferId;
  }
  private get tag() {
    return { peer: this.state.peer.fingerprint.slice(0, 12) || this.state.peer.address, transfer: this.id };
  }

  /** First connection and offer. Rejects (and fails the transfer) when the receiver cannot be reached. */
  async start(): Promise<void> {
    this.record.setState('awaiting-accept');
    try {
      // Saved while connecting (the sync costs milliseconds); finish() chains its removal after
      // this save, so a quick transfer that is done at once leaves no state behind.
      const saved = this.deps.store.save(this.state);
      this.saving = saved.catch(() => undefined);
      await Promise.all([saved, this.connectAndOffer()]);
    } catch (err) {
      this.finish('failed', toErrorInfo(err));
      throw err;
    }
  }

  private async connectAndOffer(): Promise<void> {
    const { conn, offered } = await this.deps.dial();
    if (this.record.final) {
      conn.close();
      return;
    }
    this.conn = conn;
    conn.busy = true;
    if (!this.state.peer.fingerprint) this.state.peer = { ...this.state.peer, fingerprint: conn.peerFingerprint };
    conn.on('message', (m) => this.onMessage(conn, m));
    conn.on('closed', (err) => this.onClosed(conn, err));
    conn.send({
      t: 'offer',
      transferId: this.id,
      resumeKey: this.state.resumeKey,
      files: this.state.files.slice(offered).map(offerEntryOf),
      ...(this.state.dirs.length ? { dirs: this.state.dirs } : {}),
      totalBytes: this.record.totalBytes,
    });
    this.deps.logger.log('info', 'offer sent', { ...this.tag, files: this.state.files.length, inParts: offered });
  }

  private onMessage(conn: Connection, m: Msg): void {
    if (conn !== this.conn) return;
    switch (m.t) {
      case 'accept':
        return this.onAccept(m);
      case 'reject':
        return this.finish(m.code === ErrorCode.REJECTED ? 'rejected' : 'failed', { code: m.code, message: m.message });
      case 'ack':
        return this.onAck(m);
      case 'rewind':
        return this.onRewind(m.f, m.offset);
      case 'fileDone':
        return this.onFileDone(m.f);
      case 'filesDone':
        for (const f of m.f) this.onFileDone(f);
        return;
      case 'fileFailed':
        return this.onFileFailed(m.f, { code: m.code, message: m.message }, false);
      case 'done':
        return this.onDone();
      case 'pause':
        this.remotePaused = true;
        return this.showPause();
      case 'resume':
        this.remotePaused = false;
        this.showPause();
        return this.pump();
      case 'cancel':
        return this.finish('cancelled', { code: ErrorCode.CANCELLED, message: m.message ?? 'The receiver cancelled the transfer' });
      case 'error':
        return; // the close that follows carries it
      default:
        throw new FerryError(ErrorCode.BAD_MESSAGE, `Unexpected ${m.t} from the receiver`);
    }
  }

  private onAccept(m: MsgOf<'accept'>): void {
    if (this.handle >= 0 || m.transferId !== this.id) throw new FerryError(ErrorCode.BAD_MESSAGE, 'Unexpected accept');
    const starts = this.startPoints(m);
    const done = new Set([...(m.done ?? []), ...this.state.done]);
    this.handle = m.handle;
    this.toSend = [];
    this.inFlight = 0;
    this.sentLog = [];
    this.controller = new ChunkController();
    let accepted = 0;
    // Indexed: this loop runs once per session, mostly unoptimized, where a for-of makes an
    // iterator result per file. Backwards, so toSend has the next file last without a reverse().
    for (let i = this.files.length - 1; i >= 0; i--) {
      const f = this.files[i];
      const e = starts[i];
      if (e) {
        accepted++;
        f.hasher = f.hasher && f.hasher.digests.length >= e.blocks.length ? f.hasher : null;
        f.state = 'sending';
        f.pos = f.sentEnd = f.acked = f.committed = e.offset;
        f.resumeBlocks = e.blocks;
        this.toSend.push(i);
        this.record.resetFile(i, PENDING);
        this.record.setBytes(i, e.offset);
      } else if (done.has(i)) {
        f.state = 'done';
        this.record.setFile(i, { state: 'completed', bytesDone: this.state.files[i].size });
      } else if (f.state !== 'failed') {
        f.state = 'skipped';
        this.record.setFile(i, { state: 'skipped' });
      }
    }
    this.deps.logger.log('info', 'offer accepted', { ...this.tag, files: accepted });
    if (this.localPaused) this.conn?.send({ t: 'pause' });
    this.remotePaused = false;
    this.record.setPaused(this.localPaused ? 'local' : undefined);
    this.pump();
  }

  /** Where each accepted file starts, by index (a hole for a file not accepted); checked against the offer. */
  private startPoints(m: MsgOf<'accept'>): (StartAt | undefined)[] {
    const starts: (StartAt | undefined)[] = new Array(this.files.length);
    for (const e of m.files) {
      const src = this.state.files[e.index];
      if (!src || starts[e.index] || e.offset > src.size || (e.offset % BLOCK_SIZE !== 0 && e.offset !== src.size) || e.blocks.length !== blockCount(e.offset)) {
        throw new FerryError(ErrorCode.BAD_MESSAGE, `Accept entry for file ${e.index} is inconsistent`);
      }
      starts[e.index] = e;
    }
    const fresh = m.fresh ?? [];
    if (!rangesInOrder(fresh, this.files.length)) throw new FerryError(ErrorCode.BAD_MESSAGE, 'Accept ranges overlap or go past the offer');
    for (const [from, to] of fresh) {
      for (let i = from; i <= to; i++) {
        if (starts[i]) throw new FerryError(ErrorCode.BAD_MESSAGE, `File ${i} is accepted twice`);
        starts[i] = FROM_START;
      }
    }
    return starts;
  }

  private fileOf(f: number): TxFile {
    const file = this.files[f];
    if (!file || file.state === 'pending' || file.state === 'skipped') throw new FerryError(ErrorCode.BAD_MESSAGE, `File ${f} is not being sent`);
    return file;
  }

  private onAck(m: MsgOf<'ack'>): void {
    const file = this.fileOf(m.f);
    // An ack that moves nothing (a few arrive around a rewind) counts against the control-message
    // rate limit, so a flood of repeats is cut off like any other.
    if (m.written <= file.acked && m.committed <= file.committed) this.conn?.chargeControl();
    file.committed = Math.max(file.committed, m.committed);
    this.acknowledge(file, m.written);
    this.pump();
  }

  /** Frees the window up to `written` of `file` and feeds the chunk controller its ack times. */
  private acknowledge(file: TxFile, written: number): void {
    if (written > file.sentEnd) throw new FerryError(ErrorCode.BAD_MESSAGE, `Ack for file ${file.index} beyond what was sent`);
    if (file.state === 'failed') return; // its bytes no longer count as in flight
    if (written > file.acked) {
      this.inFlight -= written - file.acked;
      file.acked = written;
      if (file.state !== 'done') this.record.setBytes(file.index, written);
    }
    const now = performance.now();
    while (this.sentLog.length && this.sentLog[0].end <= this.files[this.sentLog[0].f].acked) {
      const e = this.sentLog.shift()!;
      this.controller.onAck(e.len, now - e.at, now);
    }
  }

  private onRewind(f: number, offset: number): void {
    const file = this.fileOf(f);
    if (offset > file.sentEnd || offset % BLOCK_SIZE !== 0 || !(file.state === 'sending' || file.state === 'sent')) {
      throw new FerryError(ErrorCode.BAD_MESSAGE, `Cannot rewind file ${f} to ${offset}`);
    }
    // Damage is rare, and each rewind costs a pass over the files still to send: a stream of them is a flood.
    this.conn?.chargeControl();
    this.deps.logger.log('warn', 'receiver asked to re-send a damaged block', { ...this.tag, file: f, offset });
    this.restartFile(file, offset);
    this.conn?.send({ t: 'rewound', f, offset });
    this.pump();
  }

  /** Forgets what was sent of `file` from `offset` on and queues it next. */
  private restartFile(file: TxFile, offset: number): void {
    if (this.curFile === file) this.dropCursor();
    this.inFlight -= file.sentEnd - file.acked;
    file.pos = file.sentEnd = file.acked = offset;
    file.committed = Math.min(file.committed, offset);
    file.hasher?.truncate(Math.floor(offset / BLOCK_SIZE));
    file.state = 'sending';
    this.sentLog = this.sentLog.filter((e) => e.f !== file.index);
    this.toSend = this.toSend.filter((i) => i !== file.index);
    this.toSend.push(file.index);
    this.record.setBytes(file.index, offset);
  }

  private onFileDone(f: number): void {
    const file = this.fileOf(f);
    if (file.state === 'failed') return; // it failed here first; the receiver learns that from our fileFailed
    // Only a file sent to its end can be saved, and only once: repeats would grow the saved list without end.
    if (file.state !== 'sent') throw new FerryError(ErrorCode.BAD_MESSAGE, `File ${f} reported saved while ${file.state}`);
    // A receiver acks a file written to its end only with its done report (fileDone or filesDone).
    this.acknowledge(file, this.state.files[f].size);
    file.state = 'done';
    this.release(file);
    this.record.setFile(f, { state: 'completed', bytesDone: this.state.files[f].size });
    this.state.done.push(f);
    this.persistSoon();
    this.pump();
  }

  private onFileFailed(f: number, err: ErrorInfo, tellPeer: boolean): void {
    const file = this.fileOf(f);
    if (file.state === 'failed' || file.state === 'done') return;
    if (this.curFile === file) this.dropCursor();
    this.inFlight -= file.sentEnd - file.acked;
    file.acked = file.sentEnd; // late acks for it change nothing
    file.state = 'failed';
    this.release(file);
    this.sentLog = this.sentLog.filter((e) => e.f !== f);
    this.record.setFile(f, { state: 'failed', error: err });
    this.deps.logger.log('warn', 'file failed', { ...this.tag, file: this.state.files[f].path, code: err.code, reason: err.message });
    if (tellPeer) this.conn?.send({ t: 'fileFailed', f, code: err.code, message: err.message });
    this.pump();
  }

  /** A finished file's digests go: kept, 100,000 small files held 30 MB of them (one native Buffer each). */
  private release(file: TxFile): void {
    file.hasher = null;
    file.resumeBlocks = null;
  }

  private onDone(): void {
    const failed = this.files.filter((f) => f.state === 'failed').length;
    const open = this.files.filter((f) => f.state === 'sending' || f.state === 'sent').length;
    if (failed || open) {
      const n = failed + open;
      this.finish('failed', this.record.files.find((f) => f.error)?.error ?? { code: ErrorCode.IO, message: `${n} files were not received` });
    } else this.finish('completed');
  }

  // ---- sending ----

  private canSend(): boolean {
    const c = this.conn;
    if (!c || !c.isOpen || this.handle < 0 || this.record.state !== 'transferring') return false;
    if (c.bufferedAmount >= LOW_WATER) return false;
    return this.inFlight === 0 || this.inFlight + this.controller.chunkSize <= this.controller.window;
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pumpLoop();
  }

  private async pumpLoop(): Promise<void> {
    try {
      do {
        this.pumpAgain = false;
        let frames = 0;
        while (this.canSend() && (this.cur || this.toSend.length)) {
          await this.sendNext();
          if (++frames % FRAMES_PER_TURN === 0) await new Promise((r) => setImmediate(r));
        }
      } while (this.pumpAgain);
    } catch (err) {
      this.deps.logger.log('error', 'sender failed', { ...this.tag, err: String(err) });
      this.conn?.fail(new FerryError(ErrorCode.INTERNAL, 'Internal error while sending'));
    } finally {
      // Cleared here, not in a .finally() on the promise: the loop may end without awaiting, and a
      // second ack handled in the same socket read before that microtask would be lost (a stall).
      this.pumping = false;
    }
  }

  private async sendNext(): Promise<void> {
    if (!this.cur && this.packable(this.toSend[this.toSend.length - 1])) return this.sendPack();
    if (!this.cur) {
      const file = this.files[this.toSend.pop()!];
      if (file.state !== 'sending') return; // failed or rewound since it was listed
      const cur = await this.openFile(file);
      if (!cur) return;
      if (file.state !== 'sending' || this.curFile !== null) {
        await cur.close();
        if (file.state === 'sending') this.toSend.push(file.index);
        return;
      }
      this.cur = cur;
      this.curFile = file;
    }
    const cur = this.cur;
    const file = this.curFile!;
    const conn = this.conn!;
    let chunk;
    try {
      chunk = await cur.next(file.pos, this.controller.chunkSize);
    } catch (err) {
      if (this.cur === cur) this.onFileFailed(file.index, toErrorInfo(err), true);
      return;
    }
    if (this.cur !== cur || this.conn !== conn || !conn.isOpen) return; // rewound, failed or disconnected meanwhile
    const payload = chunk.buf.subarray(payloadStart(chunk.fileEnd));
    const hasher = (file.hasher ??= new BlockHasher(this.state.files[file.index].size));
    const blocks = hasher.update(payload);
    writeHeader(chunk.buf, this.handle, file.index, chunk.pos, chunk.fileEnd ? hasher.fileDigest() : null);
    file.pos = file.sentEnd = chunk.pos + chunk.len;
    this.inFlight += chunk.len;
    this.record.bytesSent += chunk.len;
    this.sentLog.push({ f: file.index, end: file.pos, at: performance.now(), len: chunk.len });
    conn.sendData(chunk.buf, () => this.pump());
    // The last frame carries the file digest, which covers every block: no block messages for it.
    if (!chunk.fileEnd) for (const b of blocks) conn.send({ t: 'block', f: file.index, b, h: hasher.digests[b].toString('hex') });
    if (chunk.fileEnd) {
      file.state = 'sent';
      this.dropCursor();
    }
  }

  /** A file that goes in a pack: small, still to send, and from its start. */
  private packable(i: number | undefined): boolean {
    const file = i === undefined ? undefined : this.files[i];
    return file !== undefined && file.state === 'sending' && file.pos === 0 && this.state.files[file.index].size <= PACK_FILE_MAX;
  }

  /**
   * Small files from the head of the list, each whole, several in one message (PROTOCOL.md
   * section 4): a 4 KiB file no longer costs a frame, a send and a TLS record of its own. The
   * reads are synchronous, as for any small file, and a pack stays within PACK_BYTES_MAX.
   */
  private sendPack(): void {
    const { files, bytes } = this.pickPack();
    const buf = Buffer.allocUnsafe(bytes);
    let at = PACK_HEADER_BYTES;
    let last: TxFile | null = null;
    let count = 0;
    let sent = 0;
    for (const file of files) {
      const src = this.state.files[file.index];
      const body = packEntryEnd(at, 0);
      try {
        readWholeInto(src, buf, body);
      } catch (err) {
        this.onFileFailed(file.index, toErrorInfo(err), true);
        continue;
      }
      writePackEntry(buf, at, file.index, src.size, digestOf(buf.subarray(body, body + src.size)));
      at = packEntryEnd(at, src.size);
      file.state = 'sent';
      file.pos = file.sentEnd = src.size;
      file.hasher = null;
      sent += src.size;
      last = file;
      count++;
    }
    this.inFlight += sent;
    this.record.bytesSent += sent;
    if (!last) return;
    writePackHeader(buf, this.handle, count);
    // One ack sample for the whole pack: it is acked once its last file is reported saved.
    this.sentLog.push({ f: last.index, end: last.sentEnd, at: performance.now(), len: sent });
    this.conn!.sendData(buf.subarray(0, at), () => this.pump());
  }

  /** Takes the packable files off the head of the list, up to PACK_BYTES_MAX of payload. */
  private pickPack(): { files: TxFile[]; bytes: number } {
    const budget = Math.min(this.controller.chunkSize, PACK_BYTES_MAX);
    const files: TxFile[] = [];
    let bytes = PACK_HEADER_BYTES;
    let payload = 0;
    while (files.length < PACK_MAX_FILES && this.packable(this.toSend[this.toSend.length - 1])) {
      const file = this.files[this.toSend[this.toSend.length - 1]];
      const size = this.state.files[file.index].size;
      if (files.length > 0 && payload + size > budget) break;
      this.toSend.pop();
      files.push(file);
      payload += size;
      bytes = packEntryEnd(bytes, size);
    }
    return { files, bytes };
  }

  /** Opens a file to send from file.pos; on a resume, first checks our bytes still match the receiver's. */
  private async openFile(file: TxFile): Promise<TxCursor | null> {
    const src = this.state.files[file.index];
    let cur: TxCursor;
    try {
      cur = await TxCursor.open(src, this.controller.chunkSize);
      if (file.pos > 0) await this.checkResumePoint(file, cur);
      else file.hasher = null;
    } catch (err) {
      this.onFileFailed(file.index, toErrorInfo(err), true);
      return null;
    }
    return cur;
  }

  private async checkResumePoint(file: TxFile, cur: TxCursor): Promise<void> {
    const want = file.resumeBlocks ?? [];
    // Always from disk: digests kept in memory from before the interruption describe the file as it
    // was then; a change made meanwhile with the same size and mtime would become a mix of old and new.
    const have = await cur.hashPrefix(file.pos);
    if (want.every((h, i) => have[i]?.toString('hex') === h)) {
      file.hasher = new BlockHasher(this.state.files[file.index].size, have);
      return;
    }
    this.deps.logger.log('warn', 'resume point does not match our file; sending it again from the start', { ...this.tag, file: file.index });
    file.hasher = null;
    this.inFlight -= file.sentEnd - file.acked;
    file.pos = file.sentEnd = file.acked = 0;
    this.record.setBytes(file.index, 0);
    this.conn?.send({ t: 'rewound', f: file.index, offset: 0 });
  }

  private dropCursor(): void {
    const cur = this.cur;
    this.cur = null;
    this.curFile = null;
    void cur?.close();
  }

  // ---- connection loss and reconnect ----

  private onClosed(conn: Connection, err: ErrorInfo | null): void {
    if (conn !== this.conn) return;
    this.conn = null;
    this.handle = -1;
    this.dropCursor();
    if (this.record.final) return;
    if (err && !RETRYABLE.has(err.code)) return this.finish('failed', err);
    this.deps.logger.log('warn', 'connection lost; reconnecting', { ...this.tag, code: err?.code });
    void this.reconnect(err ?? { code: ErrorCode.CONNECTION_LOST, message: 'The receiver closed the connection' });
  }

  private async reconnect(cause: ErrorInfo): Promise<void> {
    this.record.setState('reconnecting', cause);
    const deadline = Date.now() + this.deps.reconnectWindowMs;
    let delay = RECONNECT_MIN_MS;
    while (!this.record.final) {
      try {
        await this.connectAndOffer();
        return;
      } catch (err) {
        const info = toErrorInfo(err);
        if (!RETRYABLE.has(info.code)) return this.finish('failed', info);
      }
      if (Date.now() + delay > deadline) {
        return this.finish('failed', {
          code: ErrorCode.CONNECTION_LOST,
          message: `Lost the connection to ${this.state.peer.name || this.state.peer.address} and could not reconnect within ${Math.round(this.deps.reconnectWindowMs / 1000)} s; retry to continue where it stopped`,
        });
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.stopWait = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.stopWait = null;
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    }
  }

  /** Reflects the pause flags, once data may flow (not while awaiting the accept or reconnecting). */
  private showPause(): void {
    if (this.record.state !== 'transferring' && this.record.state !== 'paused') return;
    this.record.setPaused(this.localPaused ? 'local' : this.remotePaused ? 'remote' : undefined);
  }

  // ---- user actions ----

  pause(): void {
    if (this.record.final || this.localPaused) return;
    this.localPaused = true;
    this.conn?.send({ t: 'pause' });
    this.showPause();
  }

  resume(): void {
    if (this.record.final || !this.localPaused) return;
    this.localPaused = false;
    this.conn?.send({ t: 'resume' });
    this.showPause();
    this.pump();
  }

  cancel(): void {
    if (this.record.final) return;
    this.conn?.send({ t: 'cancel', code: ErrorCode.CANCELLED, message: 'The sender cancelled the transfer' });
    this.finish('cancelled', { code: ErrorCode.CANCELLED, message: 'Cancelled' });
  }

  /** Stops without a goodbye (engine shutdown): the transfer stays resumable. */
  stop(): void {
    if (this.record.final) return;
    const conn = this.conn;
    this.conn = null;
    this.dropCursor();
    conn?.terminate({ code: ErrorCode.CONNECTION_LOST, message: 'Ferry stopped' });
    this.stopWait?.();
    this.record.setState('failed', { code: ErrorCode.CONNECTION_LOST, message: 'Interrupted when Ferry stopped; retry to continue' });
    void this.persist();
  }

  private finish(state: 'completed' | 'failed' | 'cancelled' | 'rejected', err?: ErrorInfo): void {
    if (this.record.final) return;
    this.record.setState(state, err);
    this.stopWait?.();
    this.dropCursor();
    const conn = this.conn;
    this.conn = null;
    if (conn) {
      conn.busy = false;
      conn.close(err ?? null);
    }
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.state.error = err;
    if (state === 'failed') void this.persist();
    else this.saving = this.saving.then(() => this.deps.store.remove(this.id)).catch(() => undefined);
    this.deps.logger.log(state === 'completed' ? 'info' : 'warn', `transfer ${state}`, { ...this.tag, code: err?.code });
    this.deps.onFinal(this);
  }

  /** Saved-file progress reaches disk this late at most; a resume learns it from the receiver anyway. */
  private persistSoon(): void {
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      void this.persist();
    }, persistDelayMs(this.state.files.length));
    this.persistTimer.unref();
  }

  private saving: Promise<void> = Promise.resolve();

  private persist(): Promise<void> {
    this.saving = this.saving
      .then(() => this.deps.store.save(this.state))
      .catch((err) => this.deps.logger.log('warn', 'cannot save transfer state', { ...this.tag, err: String(err) }));
    return this.saving;
  }

  /** Resolves once state writes started so far are on disk. */
  saved(): Promise<void> {
    return this.saving;
  }

  /** For retry(): the same id and resumeKey, a fresh connection. */
  restartable(): boolean {
    return this.record.state === 'failed' || this.record.state === 'cancelled';
  }
}

/**
 * Each save writes every file's entry, so saves grow rarer with the file count (5 s for 100,000):
 * once a second, a 100,000-file batch wrote 15 MB of JSON a second and left 375 MB of garbage.
 */
function persistDelayMs(files: number): number {
  return Math.max(1000, files * 0.05);
}
