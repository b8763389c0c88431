// One incoming transfer (batch): owns its RxFiles and its connection while one is attached,
// answers the sender's control messages, and keeps resumable state on disk until it is finished.
import { randomInt } from 'node:crypto';
import { promises as fs, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { ErrorCode, type ErrorInfo, FerryError } from '../../../shared/errors';
import { BLOCK_SIZE, FILES_DONE_MAX } from '../../../shared/protocol';
import type { FileProgress } from '../../../shared/types';
import type { Logger } from '../log';
import { type DataFrame, parseFrames } from '../protocol/frame';
import type { AcceptEntry, Msg, MsgOf } from '../protocol/messages';
import type { Connection } from '../transport/connection';
import { toRanges } from '../util/index-ranges';
import { makeDirs } from '../util/make-dirs';
import { joinInside, lstatOrNull, partBase, resolveInside } from '../util/safe-names';
import { digestOf } from './digest';
import { dropEmptyStage, inStage, Placement, placeStage, stageDirFor, topFolder } from './folder-stage';
import { Journal, type JournalFile, type SavedFile } from './journal';
import { addStage, type IncomingState, type IncomingStore, stageOf, tempOf } from './incoming-store';
import { type RecordSink, TransferRecord } from './record';
import { nameVerified, RxFile, type RxHost } from './rx-file';
import { WHOLE_FILE_MAX, writeWholeFile } from './whole-file';

/** Bytes a sender may have queued at us across files before we call it abuse (its window is far smaller). */
const MAX_PENDING_BYTES = 96 * 1024 * 1024;
/** The reset of every file a session starts: one shared patch, not one per file. */
const PENDING = Object.freeze({ state: 'pending', error: undefined } as const);

export interface ReceiverDeps {
  downloadDir: string;
  store: IncomingStore;
  sink: RecordSink;
  logger: Logger;
  /** Called once the transfer reached a final state and let go of its connection. */
  onFinal(t: IncomingTransfer): void;
}

export class IncomingTransfer implements RxHost {
  readonly record: TransferRecord;
  journal: Journal;
  conn: Connection | null = null;
  handle = 0;
  /** Files of this session being received. Made at a file's first message, dropped once it is
   *  saved or failed: a batch of 100,000 files holds a few dozen, not 100,000 (50 MB). */
  private rx = new Map<number, RxFile>();
  /** index -> saved path, of files finished in any session. */
  private saved = new Map<number, string>();
  private failed = new Set<number>();
  /** Committed digests from an earlier session, per file (resume). */
  private carried = new Map<number, Buffer[]>();
  /** Folders being made and checked in this run (one mkdir however many files wait for it). */
  private dirsMade = new Map<string, Promise<void>>();
  /** Folders made and checked -> "dev:ino", to notice one swapped for a link later. */
  private dirIds = new Map<string, string>();
  private dirsCheckedThisTurn = new Set<string>();
  /** Files of this session not yet saved or failed: the transfer is done when none is left. */
  private open = new Set<number>();
  /** Small files written whole (saveWhole) whose journal lines are on their way. */
  private saving = new Set<number>();
  private wholeBatch: SavedFile[] = [];
  /** Settles once the journal lines of every whole file saved so far are written and reported. */
  private landing: Promise<void> = Promise.resolve();
  /** Files in this session (for the failure summary). */
  private sessionFiles = 0;
  /** Bytes received but not yet written, across files. */
  private queuedBytes = 0;
  private ackDirtySet = new Set<RxFile>();
  private flushScheduled = false;
  private doneBatch: number[] = [];
  private localPaused = false;
  private remotePaused = false;
  /** Set when restored from disk: the temp files were out of our hands, so re-hash them before resuming. */
  private recheckOnResume = false;
  /** Resolves once the state file written for this session is on disk (saveState); rejects with E_IO when it cannot be. */
  stateSaved: Promise<void> = Promise.resolve();
  /** `stateSaved` has resolved: a file may be written without waiting on it. */
  private stateReady = true;
  /** What arrived before the state file was on disk and the folders made (holdUntilSaved): handled, in order, then. */
  private held: (DataFrame | Msg)[] = [];

  constructor(
    public state: IncomingState,
    private readonly deps: ReceiverDeps,
    journal?: Map<number, JournalFile>,
  ) {
    this.journal = new Journal(deps.store.journalPath(state.transferId));
    const chosen = new Uint8Array(state.files.length); // not a Set: one hash insert per file adds up
    for (const i of state.accepted) chosen[i] = 1;
    const all = state.accepted.length === 0;
    const files: FileProgress[] = state.files.map((f, i) => ({
      index: i,
      path: f.path,
      size: f.size,
      bytesDone: 0,
      state: all || chosen[i] === 1 ? 'pending' : 'skipped',
    }));
    this.record = new TransferRecord(state.transferId, 'in', state.peer, files, deps.sink, state.createdAt);
    for (const [i, j] of journal ?? []) this.restoreFile(i, j);
    this.recheckOnResume = !!journal;
  }

  get id(): string {
    return this.state.transferId;
  }
  get downloadDir(): string {
    return this.deps.downloadDir;
  }
  private get peerTag(): string {
    return this.state.peer.fingerprint.slice(0, 12);
  }
  private get tag() {
    return { peer: this.peerTag, transfer: this.id };
  }

  private restoreFile(i: number, j: JournalFile): void {
    if (i >= this.state.files.length) return;
    const savedPath = j.savedPath ?? (j.staged && this.isStaged(i) ? tempOf(this.state, i) : undefined);
    if (savedPath) {
      this.saved.set(i, savedPath);
      this.record.resetFile(i, this.isStaged(i) ? { state: 'staged' } : { state: 'completed', savedPath });
      this.record.setBytes(i, this.state.files[i].size);
    } else if (j.blocks.length && !j.failed) {
      this.carried.set(i, j.blocks.map((h) => Buffer.from(h, 'hex')));
      this.record.setBytes(i, Math.min(j.blocks.length * BLOCK_SIZE, this.state.files[i].size));
    }
  }

  /** Unfinished accepted files with the offset we can resume them from (committed and present on disk). */
  async resumePoints(): Promise<{ files: AcceptEntry[]; done: number[] }> {
    const files: AcceptEntry[] = [];
    for (const i of this.state.accepted) {
      if (this.saved.has(i)) continue;
      const carried = this.carried.get(i) ?? [];
      const blocks = this.recheckOnResume
        ? await verifiedPrefix(tempOf(this.state, i), this.state.files[i].size, carried)
        : await presentPrefix(tempOf(this.state, i), this.state.files[i].size, carried);
      this.carried.set(i, blocks);
      files.push({ index: i, offset: Math.min(blocks.length * BLOCK_SIZE, this.state.files[i].size), blocks: blocks.map((b) => b.toString('hex')) });
    }
    this.recheckOnResume = false;
    return { files, done: this.savedIndices() };
  }

  /** Indices of the files saved, in any session. */
  savedIndices(): number[] {
    return [...this.saved.keys()];
  }

  /** Remaining bytes to receive for the given accept. */
  static remaining(state: IncomingState, files: AcceptEntry[]): number {
    return files.reduce((n, e) => n + state.files[e.index].size - e.offset, 0);
  }

  /** Attaches a connection and sends the accept; data may flow from now on. */
  async startSession(conn: Connection, files: AcceptEntry[], done: number[]): Promise<void> {
    this.conn = conn;
    conn.busy = true;
    // Listen at once: a cancel or a drop while we prepare must not go unnoticed.
    conn.on('message', (m) => this.onMessage(m));
    conn.on('data', (d) => this.onData(d));
    conn.on('closed', (err) => void this.onClosed(conn, err));
    this.handle = randomInt(0, 2 ** 32 - 1);
    this.failed.clear();
    this.rx.clear();
    this.open.clear();
    this.queuedBytes = 0;
    this.held = [];
    if (files.length < this.record.files.length) this.skipUnchosen(files);
    this.sessionFiles = files.length;
    for (let k = 0; k < files.length; k++) {
      // Indexed: once per session, mostly unoptimized, where for-of makes an iterator result per file.
      const e = files[k];
      // A temp file from an earlier session that cannot be resumed goes.
      if (e.offset === 0 && this.carried.delete(e.index)) await fs.rm(tempOf(this.state, e.index), { force: true }).catch(() => undefined);
      this.open.add(e.index);
      this.record.resetFile(e.index, PENDING);
      this.record.setBytes(e.index, e.offset);
    }
    if (this.conn !== conn || !conn.isOpen) return;
    this.saveState();
    conn.send(acceptMessage(this.id, this.handle, files, done));
    this.remotePaused = false;
    if (this.localPaused) conn.send({ t: 'pause' }); // a pause outlives a reconnect
    this.record.setPaused(this.localPaused ? 'local' : undefined);
    this.deps.logger.log('info', 'receiving', { ...this.tag, files: files.length });
    this.checkAllDone();
  }

  /** Files in no part of this session (declined, or saved before) show as skipped unless saved. */
  private skipUnchosen(files: AcceptEntry[]): void {
    const chosen = new Set(files.map((e) => e.index));
    this.record.files.forEach((f, i) => {
      if (!chosen.has(i) && !this.saved.has(i) && f.state !== 'skipped') this.record.resetFile(i, { state: 'skipped' });
    });
  }

  /**
   * Writes the state file while the accept travels and the first data comes back: its fsync took
   * milliseconds, 47 ms for 10,000 files, before the accept could leave. Nothing reaches the disk
   * before it is saved (RxFile waits for `stateSaved`, the journal too, and the offered folders are
   * made after it), so a crash never leaves a folder, temp file or journal line no state file names.
   */
  private saveState(): void {
    const saved = this.stateSettled()
      .then(() => this.deps.store.save(this.state))
      .catch((err: Error) => {
        throw new FerryError(ErrorCode.IO, `Cannot save the state of this transfer: ${err.message}`);
      });
    this.stateSaved = saved;
    this.stateReady = false;
    saved
      .then(() => this.makeOfferedDirs())
      .then(
        () => {
          this.stateReady = this.stateSaved === saved;
          if (!this.stateReady) return;
          this.saveHeld();
          this.checkAllDone(); // a session with no file left to receive ends once its folders are made
        },
        () => undefined,
      );
    this.journal.after(this.stateSettled());
    saved.catch((err: FerryError) => this.fatal(err));
  }

  /**
   * The offered folders, empty ones too, once the state file names their stage: a crash before
   * leaves none behind that no state knows of. Made while the accept travels (100 folders took
   * ~3 ms before it could leave); what arrives meanwhile waits with the rest (holdUntilSaved).
   */
  private async makeOfferedDirs(): Promise<void> {
    for (const d of this.state.dirs) {
      try {
        await this.ensureDir(this.dirPath(d));
      } catch {
        // A file inside says what went wrong; an empty folder that cannot be made is left out.
      }
    }
  }

  /** The last state write is over, whether or not it succeeded. */
  private stateSettled(): Promise<void> {
    return this.stateSaved.catch(() => undefined);
  }

  private onMessage(m: Msg): void {
    if (this.holdUntilSaved(m)) return;
    const f = 'f' in m && typeof m.f === 'number' ? m.f : -1;
    // Late news of a file already saved or failed (a block digest or the sender's failure report):
    // harmless, but a repeat must not be free.
    if (f >= 0 && (this.saved.has(f) || this.saving.has(f) || this.failed.has(f)) && !this.rx.has(f)) return this.chargeControl();
    const rx = f >= 0 ? this.rxFor(f) : undefined;
    switch (m.t) {
      case 'block':
        return this.need(rx, m.f).onBlock(m.b, m.h);
      case 'rewound':
        return this.need(rx, m.f).onRewound(m.offset);
      case 'fileFailed':
        return this.need(rx, m.f).onSenderFailed({ code: m.code, message: m.message });
      case 'pause':
        this.remotePaused = true;
        void this.commitAll();
        return this.record.setPaused(this.localPaused ? 'local' : 'remote');
      case 'resume':
        this.remotePaused = false;
        return this.record.setPaused(this.localPaused ? 'local' : undefined);
      case 'cancel':
        void this.cancelled({ code: ErrorCode.CANCELLED, message: m.message ?? 'The sender cancelled the transfer' }, false);
        return;
      case 'error':
        return; // the connection closes next; onClosed records it
      default:
        throw new FerryError(ErrorCode.BAD_MESSAGE, `Unexpected ${m.t} during a transfer`);
    }
  }

  private need(rx: RxFile | undefined, f: number): RxFile {
    if (!rx) throw new FerryError(ErrorCode.BAD_MESSAGE, `File ${f} is not part of this transfer`);
    return rx;
  }

  private onData(buf: Buffer): void {
    try {
      for (const fr of parseFrames(buf)) this.onFrame(fr);
    } finally {
      this.landWhole(); // also those before a bad frame: they are written, and named if at the top
    }
    if (this.queuedBytes > MAX_PENDING_BYTES) throw new FerryError(ErrorCode.LIMIT, 'The sender ignores flow control');
  }

  private onFrame(fr: DataFrame): void {
    if (fr.handle !== this.handle) throw new FerryError(ErrorCode.BAD_FRAME, `Unknown transfer handle ${fr.handle}`);
    if (this.holdUntilSaved(fr) || this.saveWhole(fr)) return;
    const rx = this.rxFor(fr.file);
    if (!rx) {
      if (this.failed.has(fr.file)) return; // in flight when the file failed
      const why = this.saved.has(fr.file) || this.saving.has(fr.file) ? 'is already complete' : 'was not accepted';
      throw new FerryError(ErrorCode.BAD_FRAME, `File ${fr.file} ${why}`);
    }
    rx.onFrame(fr);
  }

  /**
   * Keeps what arrives while the state file is being written and the offered folders made (the
   * first few ms of a session), frames and messages in one queue so their order holds. Nothing could be
   * written before it is on disk anyway; a small file taken at once went the RxFile way, to wait
   * there and then be written with a chain of promises: several times the cost of saveWhole, for
   * the first few hundred files of every batch.
   */
  private holdUntilSaved(item: DataFrame | Msg): boolean {
    if (this.stateReady) return false;
    this.held.push(item);
    if (!('t' in item)) this.queuedBytes += item.payload.length;
    return true;
  }

  /** What was held, now that the state file is on disk and the folders made: as if it arrived now, in its order. */
  private saveHeld(): void {
    const held = this.held;
    this.held = [];
    for (const item of held) if (!('t' in item)) this.queuedBytes -= item.payload.length;
    if (held.length === 0 || !this.conn || this.record.final) return;
    try {
      try {
        for (const item of held) {
          if ('t' in item) this.onMessage(item);
          else this.onFrame(item);
        }
      } finally {
        this.landWhole(); // before any failure below, as in onData: a detach then waits for these
      }
    } catch (err) {
      this.conn?.fail(err); // with its code; anything else is E_INTERNAL
    }
  }

  /**
   * A small file that arrived whole, with nothing of it received before, written and named at once:
   * no RxFile, hasher or promise of its own, and one journal append per message (landWhole). False
   * leaves the frame to the RxFile path, which handles everything else: a digest that does not
   * match, a folder or state file not ready yet, an error to report.
   */
  private saveWhole(fr: DataFrame): boolean {
    const i = fr.file;
    if (!this.open.has(i) || this.rx.has(i) || fr.offset !== 0 || fr.fileDigest === null) return false;
    const size = fr.payload.length;
    if (size > WHOLE_FILE_MAX || size !== this.state.files[i].size || this.carried.get(i)?.length) return false;
    const temp = tempOf(this.state, i);
    const dir = dirname(temp);
    if (!this.ready(dir) || !digestOf(fr.payload).equals(fr.fileDigest)) return false;
    const staged = this.isStaged(i);
    let savedPath: string;
    try {
      this.checkDir(dir); // one check covers writing and naming: nothing in between yields
      writeWholeFile(temp, fr.payload);
      savedPath = nameVerified(temp, this.state.targets[i], staged);
    } catch {
      return false; // the RxFile path writes it again and says what went wrong
    }
    this.open.delete(i);
    this.saving.add(i);
    this.wholeBatch.push({ index: i, savedPath, staged });
    return true;
  }

  /**
   * Journals the whole files of one message in one append, then reports them saved: journalled
   * before the sender hears of them, as any file (RxFile.place says why).
   */
  private landWhole(): void {
    const batch = this.wholeBatch;
    if (batch.length === 0) return;
    this.wholeBatch = [];
    const landed = this.journal
      .doneMany(batch)
      .catch(() => undefined)
      .then(() => {
        for (const f of batch) {
          this.saving.delete(f.index);
          this.finishFile(f.index, f.savedPath, f.staged);
        }
        this.checkAllDone();
      })
      .catch((err: Error) => this.fatal(new FerryError(ErrorCode.INTERNAL, `Cannot record the files just saved: ${err.message}`)));
    this.landing = this.landing.then(() => landed);
  }

  chargeControl(): void {
    this.conn?.chargeControl();
  }

  queued(delta: number): void {
    this.queuedBytes += delta;
  }

  send(msg: Msg): void {
    this.flushDone(); // a batch of saved files keeps its place before any later message
    this.conn?.send(msg);
  }

  /** Files saved under their offered names go out together, once per event-loop turn. */
  private queueDone(f: number): void {
    this.doneBatch.push(f);
    if (this.doneBatch.length >= FILES_DONE_MAX) this.flushDone();
    else this.flushSoon();
  }

  private flushDone(): void {
    if (this.doneBatch.length === 0) return;
    const f = this.doneBatch;
    this.doneBatch = [];
    this.conn?.send({ t: 'filesDone', f });
  }

  ackDirty(f: RxFile): void {
    this.ackDirtySet.add(f);
    this.record.setBytes(f.index, f.written);
    this.flushSoon();
  }

  /** Saved-file reports and acks wait for the end of the event-loop turn, then go out together. */
  private flushSoon(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushDone();
      // A file written to its end is acked by its done report (or answered by a rewind or fileFailed);
      // one of an earlier session, still writing out after a reconnect, is not the sender's business.
      for (const r of this.ackDirtySet) {
        if (r.written < r.size && this.rx.get(r.index) === r) this.send({ t: 'ack', f: r.index, written: r.written, committed: r.committedBytes });
      }
      this.ackDirtySet.clear();
    });
  }

  ensureDir(dir: string): Promise<void> {
    let made = this.dirsMade.get(dir);
    if (!made) {
      made = this.makeDir(dir);
      this.dirsMade.set(dir, made);
      made.catch(() => this.dirsMade.delete(dir)); // a later file may try again
    }
    return made;
  }

  /**
   * The state is on disk and dir was made and checked (or is made now, under a folder that was): a
   * file can go into it with no await. Most folders of a batch are first named by a file that
   * arrived whole; without this, the files after it in the same message waited for the next turn.
   */
  ready(dir: string): boolean {
    return this.stateReady && (this.dirIds.has(dir) || this.makeChild(dir));
  }

  private async makeDir(dir: string): Promise<void> {
    if (this.makeChild(dir)) return;
    const rel = relative(this.downloadDir, dir).split(sep).join('/');
    if (rel) resolveInside(this.downloadDir, rel);
    await makeDirs(dir);
    if (rel) resolveInside(this.downloadDir, rel); // again: a link may have appeared meanwhile
    this.dirIds.set(dir, dirId(dir) ?? '');
    // Checked with it (a stage, say): its other folders then take makeChild.
    const parent = dirname(dir);
    if (rel.includes('/') && !this.dirIds.has(parent)) this.dirIds.set(parent, dirId(parent) ?? '');
  }

  /**
   * A folder whose parent was made and checked in this run: one mkdir under the parent, checked
   * still to be that folder, instead of a realpath walk and a chain of stats. 100 folders of a
   * staged tree took 7 % of the receiver's time. False when it does not apply (or fails): the
   * full walk then decides.
   */
  private makeChild(dir: string): boolean {
    const parent = dirname(dir);
    if (!this.dirIds.has(parent) || parent === dir) return false;
    try {
      this.checkDir(parent);
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    if (!lstatOrNull(dir)?.isDirectory()) return false; // a link or a file in the way: the walk says what
    this.dirIds.set(dir, dirId(dir) ?? '');
    return true;
  }

  /**
   * One stat instead of a realpath walk per file: dir must still lead to the folder ensureDir
   * checked. At most once per folder per event-loop turn: a batch of small files names dozens in
   * one turn, and a swap between two of them is no later than one right after a single check.
   */
  checkDir(dir: string): void {
    if (this.dirsCheckedThisTurn.has(dir)) return;
    const want = this.dirIds.get(dir);
    if (!want || dirId(dir) !== want) throw new FerryError(ErrorCode.BAD_NAME, `The folder ${dir} was replaced while receiving into it`);
    if (this.dirsCheckedThisTurn.size === 0) setImmediate(() => this.dirsCheckedThisTurn.clear());
    this.dirsCheckedThisTurn.add(dir);
  }

  /** The file's receiving state, made at its first message; undefined unless it is open in this session. */
  private rxFor(i: number): RxFile | undefined {
    let rx = this.rx.get(i);
    if (!rx && this.open.has(i)) {
      rx = new RxFile(this, i, this.state.files[i], this.state.targets[i], tempOf(this.state, i), this.isStaged(i), this.carried.get(i) ?? []);
      this.rx.set(i, rx);
    }
    return rx;
  }

  fileDone(f: RxFile, savedPath: string): void {
    this.open.delete(f.index);
    this.rx.delete(f.index);
    this.finishFile(f.index, savedPath, f.staged);
    this.checkAllDone();
  }

  /** Records file i as saved at savedPath and tells the sender. */
  private finishFile(i: number, savedPath: string, staged: boolean): void {
    const { size, path } = this.state.files[i];
    const target = this.state.targets[i];
    this.saved.set(i, savedPath);
    // A staged file is complete for the user once its folder is in place (placeStages).
    this.record.setFile(i, staged ? { state: 'staged', bytesDone: size } : { state: 'completed', savedPath, bytesDone: size });
    // The saved name differs from the target only in its last part (" (1)" suffixes; a staged file
    // has its own name in the stage). The sender hears the name only when it is not the one offered.
    const savedAs = staged ? target : target.slice(0, target.lastIndexOf('/') + 1) + basename(savedPath);
    if (savedAs === path) this.queueDone(i);
    else this.send({ t: 'fileDone', f: i, savedAs });
    // Fields spelled out: spreading `this.tag` cost ~2 us, once per saved file.
    this.deps.logger.log('debug', 'file saved', { peer: this.peerTag, transfer: this.id, file: path, savedPath });
  }

  fileFailed(f: RxFile, err: ErrorInfo): void {
    this.open.delete(f.index);
    this.rx.delete(f.index);
    this.failed.add(f.index);
    this.record.setFile(f.index, { state: 'failed', error: err });
    this.deps.logger.log('warn', 'file failed', { ...this.tag, file: f.entry.path, code: err.code, reason: err.message });
    this.checkAllDone();
  }

  fatal(err: FerryError): void {
    this.deps.logger.log('error', 'transfer failed', { ...this.tag, code: err.code, reason: err.message });
    if (this.conn) this.conn.fail(err);
    else void this.onClosed(null, err.toInfo());
  }

  private checkAllDone(): void {
    if (this.record.final || !this.conn || !this.stateReady || this.open.size > 0 || this.saving.size > 0) return;
    // In place before the sender hears `done`: once it exits 0, the files are where they belong.
    if (!this.placeStages()) return;
    const failed = this.failed.size;
    this.send({ t: 'done' });
    const conn = this.conn;
    this.conn = null;
    conn.busy = false;
    conn.close();
    if (failed) this.record.setState('failed', { code: ErrorCode.IO, message: `${failed} of ${this.sessionFiles} files could not be received` });
    else this.record.setState('completed');
    void this.stateSettled().then(() => this.deps.store.remove(this.id)).catch(() => undefined);
    this.deps.logger.log('info', 'transfer finished', { ...this.tag, state: this.record.state });
    this.deps.onFinal(this);
  }

  /** A file that goes to its own name inside its folder's stage (no temp file beside it). */
  private isStaged(i: number): boolean {
    return stageOf(this.state, topFolder(this.state.targets[i])) !== undefined;
  }

  /** Where an offered folder is made: inside its top folder's stage, when it has one. */
  private dirPath(d: string): string {
    const stage = stageOf(this.state, topFolder(d + '/'));
    return stage === undefined ? resolveInside(this.downloadDir, d) : inStage(stage, d);
  }

  /**
   * Moves every stage into the download folder and marks its saved files complete under their final
   * paths. On a cancel, a stage with nothing saved in it is removed instead. False, after failing
   * the transfer, when one cannot be moved: its files stay staged, and a resume tries again.
   */
  private placeStages(cancelled = false): boolean {
    const stages = this.state.stages ?? {};
    const saved = new Map<string, number[]>();
    // forEach, not for-of: this runs once, unoptimized, over every saved file of the batch.
    this.saved.forEach((_, i) => {
      const top = topFolder(this.state.targets[i]);
      if (top === null || stageOf(this.state, top) === undefined) return;
      (saved.get(top) ?? saved.set(top, []).get(top)!).push(i);
    });
    try {
      for (const [top, stage] of Object.entries(stages)) {
        const mine = saved.get(top) ?? [];
        if (mine.length === 0 && cancelled) dropEmptyStage(stage);
        else this.placeStage(stage, top, mine);
      }
    } catch (err) {
      this.fatal(new FerryError(ErrorCode.IO, `Cannot move the received folder into ${this.downloadDir}: ${(err as Error).message}`));
      return false;
    }
    return true;
  }

  /** Also after a merge that failed half way: the files it moved are complete where they went. */
  private placeStage(stage: string, top: string, files: number[]): void {
    const placed = new Placement(stage);
    try {
      placeStage(stage, dirname(stage), top, placed);
    } finally {
      for (let k = 0; k < files.length; k++) {
        const i = files[k];
        const staged = this.saved.get(i)!;
        const savedPath = placed.where(staged);
        if (savedPath === staged) continue; // still staged
        this.saved.set(i, savedPath);
        this.record.resetFile(i, { state: 'completed', savedPath }); // one snapshot for all of them
      }
      this.record.filesChanged();
    }
  }

  private async commitAll(): Promise<void> {
    await Promise.all([...this.rx.values()].map((r) => r.suspend(false)));
  }

  private async onClosed(conn: Connection | null, err: ErrorInfo | null): Promise<void> {
    if (conn && this.conn !== conn) return; // a newer session took over
    this.conn = null;
    if (this.record.final) return;
    const handle = this.handle;
    await this.detach();
    // A reconnect can start a new session (new handle) while this one still writes out.
    if (this.record.final || this.handle !== handle) return;
    const reason = err && err.code !== ErrorCode.CONNECTION_LOST ? err : { code: ErrorCode.CONNECTION_LOST, message: 'The connection to the sender was lost; the transfer resumes when it reconnects' };
    this.record.setState('failed', reason);
    this.deps.logger.log('warn', 'transfer interrupted', { ...this.tag, code: reason.code });
  }

  /** Writes out and commits everything, closes the temp files; the transfer can resume later. */
  async detach(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    this.held = []; // never acknowledged: the sender sends them again
    if (conn) {
      conn.busy = false;
      conn.terminate({ code: ErrorCode.CONNECTION_LOST, message: 'replaced by a newer connection' });
    }
    await Promise.all([this.landing, ...[...this.rx.values()].map((r) => r.suspend(true))]);
    for (const r of this.rx.values()) if (r.state === 'active') this.carried.set(r.index, r.committedDigests);
    for (const r of this.rx.values()) this.record.setBytes(r.index, r.state === 'active' ? r.committedBytes : this.record.files[r.index].bytesDone);
  }

  pause(): void {
    if (this.record.state !== 'transferring' && this.record.state !== 'paused') return;
    this.localPaused = true;
    this.send({ t: 'pause' });
    void this.commitAll();
    this.record.setPaused('local');
  }

  resume(): void {
    if (this.record.state !== 'paused' || !this.localPaused) return;
    this.localPaused = false;
    this.send({ t: 'resume' });
    this.record.setPaused(this.remotePaused ? 'remote' : undefined);
  }

  /** Local cancel, or the sender's: partial data and state go. Completed files stay. */
  async cancelled(err: ErrorInfo, tellPeer: boolean): Promise<void> {
    if (this.record.final && this.record.state !== 'failed') return;
    if (tellPeer) this.send({ t: 'cancel', code: ErrorCode.CANCELLED, message: 'The receiver cancelled the transfer' });
    const conn = this.conn;
    this.conn = null;
    if (conn) {
      conn.busy = false;
      conn.close(err);
    }
    this.record.setState('cancelled', err);
    // Whole files already written are saved files: they stay, like any other completed file.
    await Promise.all([this.landing, ...[...this.rx.values()].map((r) => r.discard())]);
    for (const i of this.state.accepted) if (!this.saved.has(i)) await fs.rm(tempOf(this.state, i), { force: true }).catch(() => undefined);
    this.placeStages(true);
    await this.stateSettled();
    await this.deps.store.remove(this.id).catch(() => undefined);
    this.deps.onFinal(this);
  }

  /** For a resumed offer under a new transfer id. */
  async adoptId(id: string): Promise<void> {
    const from = this.id;
    this.state = { ...this.state, transferId: id };
    this.record.id = id;
    await this.deps.store.rename(from, this.state);
    this.journal = new Journal(this.deps.store.journalPath(id));
  }
}

/** Identity of the folder a path leads to now (links followed), or null when there is none. */
function dirId(dir: string): string | null {
  try {
    const st = statSync(dir, { bigint: true });
    return st.isDirectory() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}

/**
 * The committed blocks that the temp file still holds: it is re-read and re-hashed, because it may
 * have been damaged or cut short while no one was watching. Stops at the first block that differs.
 */
async function verifiedPrefix(temp: string, size: number, blocks: Buffer[]): Promise<Buffer[]> {
  if (blocks.length === 0) return blocks;
  let fh;
  try {
    fh = await fs.open(temp, 'r');
  } catch {
    return [];
  }
  try {
    const buf = Buffer.allocUnsafe(BLOCK_SIZE);
    for (let b = 0; b < blocks.length; b++) {
      const len = Math.min(BLOCK_SIZE, size - b * BLOCK_SIZE);
      const { bytesRead } = await fh.read(buf, 0, len, b * BLOCK_SIZE);
      if (bytesRead !== len || !digestOf(buf.subarray(0, len)).equals(blocks[b])) return blocks.slice(0, b);
    }
    return blocks;
  } finally {
    await fh.close();
  }
}

/**
 * After a drop within this run (we held the file all along), only check the temp file is still
 * there and long enough; re-reading gigabytes after every network blip would stall the resume.
 */
async function presentPrefix(temp: string, size: number, blocks: Buffer[]): Promise<Buffer[]> {
  const have = await fs.stat(temp).then((st) => st.size, () => -1);
  return have >= Math.min(blocks.length * BLOCK_SIZE, size) ? blocks : [];
}

/**
 * `.name.<id8>[-index].ferry-part` beside the target, the name part cut so the whole stays a legal
 * name. Only files at the top of an offer get one: a file in a folder is staged (planTemps).
 */
export function tempPathFor(downloadDir: string, target: string, transferId: string, index: number): string {
  const slash = target.lastIndexOf('/');
  const name = `.${partBase(target.slice(slash + 1))}.${transferId.slice(0, 8)}${index ? '-' + index.toString(36) : ''}.ferry-part`;
  // Letters only: the folder is checked on disk when the file is opened (ensureDir, checkDir).
  return joinInside(downloadDir, slash < 0 ? name : `${target.slice(0, slash)}/${name}`);
}

/**
 * Where the accepted files are written: a file at the top to a temp file beside its target, a file
 * inside a folder to its own name inside that folder's stage (tempOf), whose name is chosen here.
 */
export function planTemps(downloadDir: string, s: Pick<IncomingState, 'accepted' | 'targets' | 'transferId'>): Pick<IncomingState, 'temps' | 'stages'> {
  const temps: Record<string, string> = {};
  const stages: Record<string, string> = {};
  for (let k = 0; k < s.accepted.length; k++) {
    const i = s.accepted[k];
    const target = s.targets[i];
    const top = topFolder(target);
    if (top === null) temps[i] = tempPathFor(downloadDir, target, s.transferId, i);
    else if (stageOf({ stages }, top) === undefined) addStage(stages, top, stageDirFor(downloadDir, top));
  }
  return { temps, stages };
}

/** Resumed files are listed with their offsets and digests; files from 0 as index ranges (one for a fresh batch). */
function acceptMessage(transferId: string, handle: number, files: AcceptEntry[], done: number[]): MsgOf<'accept'> {
  // One plain loop: a typed array built with a map function took ~4 ms for 10,000 files, while
  // the sender waited for this message.
  const starts: number[] = [];
  const resumed: AcceptEntry[] = [];
  let ordered = true;
  for (const e of files) {
    if (e.offset > 0) resumed.push(e);
    else {
      if (starts.length > 0 && e.index <= starts[starts.length - 1]) ordered = false;
      starts.push(e.index);
    }
  }
  const fresh = toRanges(ordered ? starts : starts.sort((a, b) => a - b));
  return { t: 'accept', transferId, handle, files: resumed, ...(fresh.length ? { fresh } : {}), ...(done.length ? { done } : {}) };
}
