// Free space for an incoming batch. The folder may not exist yet (it is created on accept),
// so the nearest existing ancestor answers for it: it sits on the same file system.
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';

/** Bytes available to this (unprivileged) user on the file system holding dir. */
export async function freeBytes(dir: string): Promise<number> {
  let cur = resolve(dir);
  for (;;) {
    try {
      const st = await fs.statfs(cur);
      return Number(st.bavail) * Number(st.bsize);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = dirname(cur);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === cur) {
        throw new FerryError(ErrorCode.IO, `Cannot tell the free space for ${dir}: ${(err as Error).message}`, { cause: err });
      }
      cur = parent;
    }
  }
}
