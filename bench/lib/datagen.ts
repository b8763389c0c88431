// Source data: random bytes (incompressible, so nothing can cheat by compressing), hashed as written.
import { createHash, randomFillSync } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MiB } from './types';

/** Writes size random bytes to path; returns the file's SHA-256 (hex). */
export async function makeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(size, 4 * MiB));
  const fh = await open(path, 'w');
  try {
    for (let done = 0; done < size; ) {
      const n = Math.min(buf.length, size - done);
      const part = randomFillSync(buf, 0, n).subarray(0, n);
      hash.update(part);
      await fh.write(part, 0, n);
      done += n;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

export const FILES_PER_FOLDER = 100;

/** Writes count random files of fileSize bytes under dir, 100 to a subfolder, like a real photo or source tree. */
export async function makeSmallFiles(dir: string, count: number, fileSize: number): Promise<void> {
  const buf = Buffer.allocUnsafe(fileSize);
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${String(Math.floor(i / FILES_PER_FOLDER)).padStart(4, '0')}`);
    if (i % FILES_PER_FOLDER === 0) await mkdir(sub, { recursive: true });
    await writeFile(join(sub, `f${String(i).padStart(6, '0')}.bin`), randomFillSync(buf));
  }
}
