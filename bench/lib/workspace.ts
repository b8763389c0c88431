// A temp folder on the real disk for one bench run: checked for space first, always removed after.
import { rmSync } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GiB } from './types';

export interface Workspace {
  dir: string;
  path(...parts: string[]): string;
  remove(): Promise<void>;
  /** For signal handlers, where nothing async runs any more. */
  removeSync(): void;
}

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Creates the workspace, or throws when the disk cannot hold needBytes plus 1 GiB to spare. */
export async function createWorkspace(needBytes: number, base = tmpdir()): Promise<Workspace> {
  const free = await freeBytes(base);
  if (free < needBytes + GiB) {
    throw new Error(
      `bench needs ${(needBytes / GiB).toFixed(1)} GiB free in ${base} (plus 1 GiB to spare), only ${(free / GiB).toFixed(1)} GiB is free; ` +
        'free some space or run with --quick',
    );
  }
  const dir = await mkdtemp(join(base, 'ferry-bench-'));
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    remove: () => rm(dir, { recursive: true, force: true }),
    removeSync: () => rmSync(dir, { recursive: true, force: true }),
  };
}
