// Where an incoming transfer's resumable state lives: stateDir/incoming/<id>.json (what was offered
// and accepted, where the temp files are) beside <id>.journal (what is committed). PROTOCOL.md 8.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { PeerRef } from '../../../shared/types';
import { readJson, writeJsonAtomic } from '../store/json-file';
import type { OfferEntry } from '../protocol/messages';
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
  /** index -> absolute temp path: beside the target, or its own name inside its folder's stage. */
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
