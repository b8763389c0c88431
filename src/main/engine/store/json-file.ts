// Small state files (devices, settings, transfer records) that must survive a crash mid-write.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../util/make-dirs';

/** The parsed file; fallback (default null) when it is missing, or corrupt (then it is kept as name.corrupt-<ts>). */
export async function readJson<T>(path: string, fallback: T): Promise<T>;
export async function readJson<T>(path: string): Promise<T | null>;
export async function readJson<T>(path: string, fallback: T | null = null): Promise<T | null> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    await fs.rename(path, `${path}.corrupt-${Date.now()}`).catch(() => undefined);
    return fallback;
  }
}

/**
 * Writes a temp file beside path, fsyncs it and renames it over path: readers see old or new, never half.
 * Indented for people to read, unless compact: a transfer's state lists every file, and for
 * 100,000 files indenting cost ~45 ms more to build and 5 MB more to write (22 against 17 MB).
 */
export async function writeJsonAtomic(path: string, value: unknown, compact = false): Promise<void> {
  await makeDirs(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile((compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
