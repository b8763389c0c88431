// Where an incoming transfer's resumable state lives: stateDir/incoming/<id>.json (what was offered
// and accepted, where the temp files are) beside <id>.journal (what is committed). PROTOCOL.md 8.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import type { PeerRef } from '../../../shared/types';
import { readJson, writeJsonAtomic } from '../store/json-file';
import type { OfferEntry } from '../protocol/messages';
import { inStage, topFolder } from './folder-stage';
import { type JournalFile, readJournal } from './journal';

export interface IncomingState {
  v: 1;
  transferId: string;
  resumeKey: string;
  peer: PeerRef;
  files: OfferEntry[];
  dirs: string[];
  /** Where the files go (the setting when the transfer was accepted). Older state files lack it. */
  downloadDir?: string;
  /** Accepted file indices. */
  accepted: number[];
  /** index -> validated relative target path. */
  targets: Record<string, string>;
  /** index -> absolute temp path beside the target, for a file at the top; a staged file's is
   *  worked out from its stage (tempOf). Older state files list those too. */
  temps: Record<string, string>;
  /** top folder -> its absolute staging folder (folder-stage.ts). Older state files lack it. */
  stages?: Record<string, string>;
  createdAt: number;
}

export class IncomingStore {
  readonly dir: string;
  constructor(stateDir: string) {
    this.dir = join(stateDir, 'incoming');
  }

  jsonPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }
  journalPath(id: string): string {
    return join(this.dir, `${id}.journal`);
  }

  async save(s: IncomingState): Promise<void> {
    await writeJsonAtomic(this.jsonPath(s.transferId), s, true);
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.jsonPath(id), { force: true });
    await fs.rm(this.journalPath(id), { force: true });
  }

  /** Moves state to a new transfer id (a sender that lost its own state resumes under a new id). */
  async rename(from: string, s: IncomingState): Promise<void> {
    await this.save(s);
    await fs.rename(this.journalPath(from), this.journalPath(s.transferId)).catch(() => undefined);
    await fs.rm(this.jsonPath(from), { force: true });
  }

  async loadAll(): Promise<{ state: IncomingState; journal: Map<number, JournalFile> }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const state = await readJson<IncomingState | null>(join(this.dir, n), null);
      if (!state || state.v !== 1 || !state.transferId) continue;
      out.push({ state, journal: await readJournal(this.journalPath(state.transferId)) });
    }
    return out;
  }
}

/**
 * Where accepted file i is written until it is complete: its own name inside its folder's stage,
 * or the temp file beside its target. Staged paths are not kept: for a folder of 10,000 small files
 * they were half the state file (1.0 of 2.0 MB), which is written while the first data waits for
 * it, and as many long strings held for the whole transfer.
 */
export function tempOf(s: IncomingState, i: number): string {
  const kept = s.temps[i];
  if (kept !== undefined) return kept;
  const target = s.targets[i];
  const stage = stageOf(s, topFolder(target));
  if (stage === undefined) throw new FerryError(ErrorCode.INTERNAL, `The saved state of this transfer has no place for file ${i}`);
  return inStage(stage, target);
}

/**
 * The stage of top folder `top` (null: a file at the top), if it has one. Own properties only: a
 * folder may be named "constructor" or "__proto__", which a plain lookup finds on Object.prototype.
 */
export function stageOf(s: Pick<IncomingState, 'stages'>, top: string | null): string | undefined {
  return top !== null && s.stages && Object.hasOwn(s.stages, top) ? s.stages[top] : undefined;
}

/** Records stage as top's own property, even for a name like "__proto__" (an assignment would set the prototype). */
export function addStage(stages: Record<string, string>, top: string, stage: string): void {
  Object.defineProperty(stages, top, { value: stage, enumerable: true, writable: true, configurable: true });
}
