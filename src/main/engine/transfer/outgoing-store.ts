// An outgoing transfer's record under stateDir/outgoing/<id>.json: enough to show it after a
// restart and to retry it with the same id and resumeKey (PROTOCOL.md section 8).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ErrorInfo } from '../../../shared/errors';
import type { PeerRef } from '../../../shared/types';
import { readJson, writeJsonAtomic } from '../store/json-file';
import type { SourceFile } from './scan';

export interface OutgoingState {
  v: 1;
  transferId: string;
  resumeKey: string;
  peer: PeerRef;
  files: SourceFile[];
  dirs: string[];
  /** Indices the receiver reported as saved. */
  done: number[];
  createdAt: number;
  error?: ErrorInfo;
}

export class OutgoingStore {
  readonly dir: string;
  constructor(stateDir: string) {
    this.dir = join(stateDir, 'outgoing');
  }

  save(s: OutgoingState): Promise<void> {
    return writeJsonAtomic(join(this.dir, `${s.transferId}.json`), s, true);
  }

  remove(id: string): Promise<void> {
    return fs.rm(join(this.dir, `${id}.json`), { force: true });
  }

  async loadAll(): Promise<OutgoingState[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: OutgoingState[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const s = await readJson<OutgoingState | null>(join(this.dir, n), null);
      if (s && s.v === 1 && s.transferId) out.push(s);
    }
    return out;
  }
}
