// Turns the paths a user picked into the offer's file list: files by their base name, folders
// with their structure (relative paths with '/'), empty folders listed so they arrive too.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import type { OfferEntry } from '../protocol/messages';

export interface SourceFile extends OfferEntry {
  /** Absolute path on this machine. */
  abs: string;
}

export interface Scanned {
  files: SourceFile[];
  /** Empty folders (relative). */
  dirs: string[];
}

export async function scanPaths(paths: string[]): Promise<Scanned> {
  if (paths.length === 0) throw new FerryError(ErrorCode.INVALID_ARGUMENT, 'Nothing to send: no paths given');
  const out: Scanned = { files: [], dirs: [] };
  const seen = new Set<string>();
  for (const p of paths) {
    const st = await statOrThrow(p);
    const name = basename(p);
    if (seen.has(name)) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `Two of the chosen items are named ${name}`);
    seen.add(name);
    if (st.isDirectory()) await walk(p, name, out);
    else if (st.isFile()) out.files.push(entry(p, name, st));
    else throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${p} is neither a file nor a folder`);
    if (out.files.length + out.dirs.length > LIMITS.maxOfferEntries) {
      throw new FerryError(ErrorCode.LIMIT, `More than ${LIMITS.maxOfferEntries} files and folders in one batch`);
    }
  }
  return out;
}

async function walk(dir: string, rel: string, out: Scanned, depth = 1): Promise<void> {
  if (depth > LIMITS.maxPathDepth) throw new FerryError(ErrorCode.LIMIT, `${dir} is nested too deeply`);
  const names = (await fs.readdir(dir)).sort();
  let children = 0;
  for (const name of names) {
    const abs = join(dir, name);
    let st = await fs.lstat(abs);
    // Follow symlinks to files; skip links to folders (they can loop) and anything else.
    if (st.isSymbolicLink()) st = await fs.stat(abs).catch(() => st);
    if (st.isFile()) out.files.push(entry(abs, `${rel}/${name}`, st));
    else if (st.isDirectory() && !(await fs.lstat(abs)).isSymbolicLink()) await walk(abs, `${rel}/${name}`, out, depth + 1);
    else continue;
    children++;
    if (out.files.length + out.dirs.length > LIMITS.maxOfferEntries) {
      throw new FerryError(ErrorCode.LIMIT, `More than ${LIMITS.maxOfferEntries} files and folders in one batch`);
    }
  }
  if (children === 0) out.dirs.push(rel);
}

function entry(abs: string, path: string, st: { size: number; mtimeMs: number }): SourceFile {
  return { abs, path, size: st.size, mtime: Math.floor(st.mtimeMs) };
}

async function statOrThrow(p: string) {
  try {
    return await fs.stat(p);
  } catch (err) {
    throw new FerryError(ErrorCode.NOT_FOUND, `Cannot read ${p}: ${(err as Error).message}`, { cause: err });
  }
}

/** hex SHA-256 of the canonical [[path, size, mtime], ...] list (PROTOCOL.md section 2). */
export function resumeKeyOf(files: OfferEntry[]): string {
  return createHash('sha256')
    .update(JSON.stringify(files.map((f) => [f.path, f.size, f.mtime])))
    .digest('hex');
}
