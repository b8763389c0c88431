// Incoming transfers this device completed, remembered after their state and list entry are gone
// (a restart, "clear finished"), so a sender that stopped before it heard `done` and offers the
// same transfer again is told it arrived instead of sending it all again as "name (1)".
// stateDir/finished-incoming.json; PROTOCOL.md section 8.
import { join } from 'node:path';
import { LIMITS } from '../../../shared/limits';
import { readJson, writeJsonAtomic } from '../store/json-file';
import { fromRanges, type IndexRange, rangesInOrder, toRanges } from '../util/index-ranges';

/** The newest this many are kept, and none older than MAX_AGE_MS. */
export const FINISHED_KEPT = 200;
export const FINISHED_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** A saved-file list more fragmented than this is not remembered (the sender then sends again). */
const MAX_RANGES = 10_000;

export interface FinishedEntry {
  transferId: string;
  resumeKey: string;
  fingerprint: string;
  /** Saved file indices as inclusive [first, last] ranges. */
  saved: IndexRange[];
  at: number;
}

export class FinishedIncoming {
  private entries: FinishedEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, 'finished-incoming.json');
  }

  async load(): Promise<void> {
    const list = await readJson<unknown>(this.path, []);
    this.entries = (Array.isArray(list) ? list : []).filter(isEntry).filter(fresh(Date.now()));
  }

  /** The saved file indices of this transfer, when it was completed here by the same sender. */
  find(transferId: string, resumeKey: string, fingerprint: string): number[] | null {
    const e = this.entries.find((x) => x.transferId === transferId && x.resumeKey === resumeKey && x.fingerprint === fingerprint);
    if (!e || !fresh(Date.now())(e)) return null;
    return fromRanges(e.saved);
  }

  /** Remembers a completed transfer; the file is rewritten in the background, one write at a time. */
  add(e: Omit<FinishedEntry, 'saved' | 'at'>, saved: number[]): Promise<void> {
    const ranges = toRanges(saved);
    if (ranges.length > MAX_RANGES) return this.writing;
    const now = Date.now();
    const others = this.entries.filter((x) => x.transferId !== e.transferId).filter(fresh(now));
    this.entries = [{ ...e, saved: ranges, at: now }, ...others].slice(0, FINISHED_KEPT);
    const snapshot = this.entries;
    this.writing = this.writing.then(() => writeJsonAtomic(this.path, snapshot)).catch(() => undefined);
    return this.writing;
  }

  /** Resolves once every add so far is on disk (or failed: the record is a convenience). */
  saved(): Promise<void> {
    return this.writing;
  }
}

const fresh = (now: number) => (e: FinishedEntry) => now - e.at < FINISHED_MAX_AGE_MS;

function isEntry(x: unknown): x is FinishedEntry {
  const e = x as FinishedEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.transferId === 'string' &&
    typeof e.resumeKey === 'string' &&
    typeof e.fingerprint === 'string' &&
    typeof e.at === 'number' &&
    Array.isArray(e.saved) &&
    e.saved.every((r) => Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1])) &&
    rangesInOrder(e.saved, LIMITS.maxOfferEntries)
  );
}
