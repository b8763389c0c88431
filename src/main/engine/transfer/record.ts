// The observable side of one transfer (either direction): state, per-file progress, smoothed
// speed and ETA. Sender and receiver drive it; it turns changes into EngineEvents.
import type { ErrorInfo } from '../../../shared/errors';
import type { Direction, FileProgress, PeerRef, TransferProgress, TransferSnapshot, TransferState } from '../../../shared/types';
import { FINAL_STATES } from '../../../shared/types';

/** What a record knows; the engine adds the pairing code, which needs its own fingerprint. */
export type RecordSnapshot = Omit<TransferSnapshot, 'pairingCode'>;

export interface RecordSink {
  upserted(t: RecordSnapshot): void;
  progress(p: TransferProgress): void;
}

const SPEED_SAMPLE_MS = 250;
const SPEED_ALPHA = 0.3;
/** Snapshots for per-file changes (saved, failed, skipped) at most this often... */
const FILE_UPSERT_MS = 100;
/** ...and, since each copies every file, no more often than 20 us per file (2 s for 100,000):
 *  at 100 ms a 100,000-file batch made 60 MB/s of copies, and the receiver's heap grew to 500 MB. */
const FILE_UPSERT_US_PER_FILE = 20;

type FilePatch = Partial<Pick<FileProgress, 'state' | 'savedPath' | 'error' | 'bytesDone'>>;

/**
 * A copy of f with patch applied, built as a literal of fixed shape: spreading (`{ ...f, ...patch }`)
 * gave most copies a hidden class of their own, 14 MB of them for 100,000 files.
 */
function changed(f: FileProgress, patch: FilePatch): FileProgress {
  const e: FileProgress = { index: f.index, path: f.path, size: f.size, bytesDone: patch.bytesDone ?? f.bytesDone, state: patch.state ?? f.state };
  const savedPath = 'savedPath' in patch ? patch.savedPath : f.savedPath;
  const error = 'error' in patch ? patch.error : f.error;
  if (savedPath !== undefined) e.savedPath = savedPath;
  if (error !== undefined) e.error = error;
  return e;
}

/** Whether patch changes nothing in f. Field by field: a for-in over the patch cost ~1 us a call. */
function same(f: FileProgress, patch: FilePatch): boolean {
  return (
    (patch.state === undefined || patch.state === f.state) &&
    (patch.bytesDone === undefined || patch.bytesDone === f.bytesDone) &&
    (!('savedPath' in patch) || patch.savedPath === f.savedPath) &&
    (!('error' in patch) || patch.error === f.error)
  );
}

export class TransferRecord {
  state: TransferState = 'awaiting-accept';
  pausedBy?: 'local' | 'remote';
  error?: ErrorInfo;
  bytesDone = 0;
  /** Sender: file bytes put on the wire by this process (see TransferSnapshot.bytesSent). */
  bytesSent = 0;
  readonly totalBytes: number;
  readonly createdAt: number;
  updatedAt: number;
  private speed = 0;
  private sampleAt = Date.now();
  private sampleBytes = 0;
  private changed = new Set<number>();
  private progressScheduled = false;
  private upsertScheduled = false;

  /**
   * Entries are replaced on every change, never changed in place: a snapshot then shares them
   * instead of copying each (100,000 files made 100,000 copies per snapshot, and a consumer that
   * kept the latest one held them all).
   */
  private readonly entries: FileProgress[];

  constructor(
    public id: string,
    readonly direction: Direction,
    public peer: PeerRef,
    files: FileProgress[],
    private readonly sink: RecordSink,
    createdAt = Date.now(),
  ) {
    this.entries = files;
    this.totalBytes = files.reduce((n, f) => n + f.size, 0);
    this.bytesDone = files.reduce((n, f) => n + f.bytesDone, 0);
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  private get fileUpsertMs(): number {
    return Math.max(FILE_UPSERT_MS, (this.files.length * FILE_UPSERT_US_PER_FILE) / 1000);
  }

  get files(): readonly FileProgress[] {
    return this.entries;
  }

  get final(): boolean {
    return FINAL_STATES.includes(this.state);
  }

  setState(state: TransferState, error?: ErrorInfo): void {
    this.state = state;
    this.error = error;
    if (state !== 'paused') this.pausedBy = undefined;
    if (state !== 'transferring') this.speed = 0;
    this.touch();
  }

  setPaused(by: 'local' | 'remote' | undefined): void {
    this.state = by ? 'paused' : 'transferring';
    this.pausedBy = by;
    this.error = undefined;
    this.touch();
  }

  setFile(index: number, patch: FilePatch): void {
    const bytes = this.bytesDone;
    this.resetFile(index, patch);
    if (this.bytesDone !== bytes) this.progressed(index); // a small file saved whole had no setBytes
    this.filesChanged();
  }

  /**
   * Files changed through resetFile go out with the next snapshot, at most FILE_UPSERT_MS from now:
   * each copies the whole file list, so per change (or even per event-loop turn) a batch of many
   * small files costs O(n^2). State changes (setState, setPaused) still go out at once and carry these.
   */
  filesChanged(): void {
    if (this.upsertScheduled) return;
    this.upsertScheduled = true;
    setTimeout(() => this.upsertScheduled && this.touch(), this.fileUpsertMs).unref();
  }

  /** Changes a file without an event of its own: setting up a session before its state goes out, or
   *  many files at once (a folder moved into place), then filesChanged(). */
  resetFile(index: number, patch: FilePatch): void {
    const f = this.entries[index];
    if (same(f, patch)) return; // a fresh batch sets 100,000 files to the state they are in
    if (patch.bytesDone !== undefined) this.bytesDone += patch.bytesDone - f.bytesDone;
    this.entries[index] = changed(f, patch);
  }

  /** Byte progress of one file; emitted once per event-loop turn. */
  setBytes(index: number, bytesDone: number): void {
    const f = this.entries[index];
    if (f.bytesDone === bytesDone) return;
    this.bytesDone += bytesDone - f.bytesDone;
    this.entries[index] = changed(f, { bytesDone, state: f.state === 'pending' ? 'transferring' : f.state });
    this.progressed(index);
  }

  /** A progress event (bytes, speed, the files that moved) goes out at the end of this turn. */
  private progressed(index: number): void {
    this.changed.add(index);
    if (!this.progressScheduled) {
      this.progressScheduled = true;
      setImmediate(() => this.flushProgress());
    }
  }

  snapshot(): RecordSnapshot {
    return {
      id: this.id,
      direction: this.direction,
      peer: { ...this.peer },
      state: this.state,
      ...(this.pausedBy ? { pausedBy: this.pausedBy } : {}),
      files: this.entries.slice(),
      totalBytes: this.totalBytes,
      bytesDone: this.bytesDone,
      ...(this.direction === 'out' ? { bytesSent: this.bytesSent } : {}),
      speed: Math.round(this.speed),
      eta: this.eta(),
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private touch(): void {
    this.upsertScheduled = false; // this snapshot carries any file change still waiting
    this.updatedAt = Date.now();
    this.sink.upserted(this.snapshot());
  }

  private eta(): number | null {
    if (this.state !== 'transferring' || this.speed <= 0) return null;
    return Math.ceil((this.totalBytes - this.bytesDone) / this.speed);
  }

  private flushProgress(): void {
    this.progressScheduled = false;
    const now = Date.now();
    if (now - this.sampleAt >= SPEED_SAMPLE_MS) {
      const rate = ((this.bytesDone - this.sampleBytes) * 1000) / (now - this.sampleAt);
      this.speed = this.speed === 0 ? Math.max(rate, 0) : this.speed * (1 - SPEED_ALPHA) + Math.max(rate, 0) * SPEED_ALPHA;
      this.sampleAt = now;
      this.sampleBytes = this.bytesDone;
    }
    const files = [...this.changed].map((i) => ({ index: i, bytesDone: this.entries[i].bytesDone, state: this.entries[i].state }));
    this.changed.clear();
    this.updatedAt = now;
    this.sink.progress({ ...this.progress(), files });
  }

  /** Bytes, speed and ETA now, without the file list: unlike snapshot(), it copies nothing per file. */
  progress(): TransferProgress {
    return { id: this.id, bytesDone: this.bytesDone, speed: Math.round(this.speed), eta: this.eta(), files: [] };
  }
}
