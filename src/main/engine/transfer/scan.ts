// Turns the paths a user picked into the offer's file list: files by their base name, folders
// with their structure (relative paths with '/'), empty folders listed so they arrive too.
import { createHash } from 'node:crypto';
import { type Dirent, promises as fs, lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { basename, sep } from 'node:path';
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

/**
 * `onFiles` hears of the files found so far at each turn of the event loop (at most STATS_PER_TURN
 * of them, in their final order): the offer sends them ahead while the scan goes on.
 */
export async function scanPaths(paths: string[], onFiles?: (files: SourceFile[]) => void): Promise<Scanned> {
  if (paths.length === 0) throw new FerryError(ErrorCode.INVALID_ARGUMENT, 'Nothing to send: no paths given');
  const out: Walk = { files: [], dirs: [], sinceTurn: 0, reported: 0, onFiles };
  const seen = new Set<string>();
  for (const p of paths) {
    const st = await statOrThrow(p);
    const name = basename(p);
    if (seen.has(name)) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `Two of the chosen items are named ${name}`);
    seen.add(name);
    if (st.isDirectory()) await walk(p, name, out);
    else if (st.isFile()) {
      out.files.push(entry(p, name, st));
      if (++out.sinceTurn >= STATS_PER_TURN) await turn(out);
    } else throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${p} is neither a file nor a folder`);
    if (out.files.length + out.dirs.length > LIMITS.maxOfferEntries) {
      throw new FerryError(ErrorCode.LIMIT, `More than ${LIMITS.maxOfferEntries} files and folders in one batch`);
    }
  }
  return { files: out.files, dirs: out.dirs };
}

interface Walk extends Scanned {
  /** Entries looked at since the last turn of the event loop. */
  sinceTurn: number;
  /** Files already handed to onFiles. */
  reported: number;
  onFiles?: (files: SourceFile[]) => void;
}

/** Hands the files found since the last turn to onFiles, then lets the event loop run. */
async function turn(out: Walk): Promise<void> {
  out.sinceTurn = 0;
  if (out.onFiles && out.files.length > out.reported) {
    out.onFiles(out.files.slice(out.reported));
    out.reported = out.files.length;
  }
  await new Promise((r) => setImmediate(r));
}

async function walk(dir: string, rel: string, out: Walk, depth = 1): Promise<void> {
  if (depth > LIMITS.maxPathDepth) throw new FerryError(ErrorCode.LIMIT, `${dir} is nested too deeply`);
  const items = readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const base = dir.endsWith(sep) ? dir : dir + sep; // path.join per file cost ~0.6 us: a name has no separator to normalize
  let children = 0;
  for (let i = 0; i < items.length; i++) {
    if (++out.sinceTurn >= STATS_PER_TURN) await turn(out);
    const name = items[i].name;
    const abs = base + name;
    const path = rel + '/' + name;
    const kind = classify(abs, items[i]);
    if (kind === 'dir') await walk(abs, path, out, depth + 1);
    else if (kind) out.files.push(entry(abs, path, kind));
    else continue;
    children++;
    if (out.files.length + out.dirs.length > LIMITS.maxOfferEntries) {
      throw new FerryError(ErrorCode.LIMIT, `More than ${LIMITS.maxOfferEntries} files and folders in one batch`);
    }
  }
  if (children === 0) out.dirs.push(rel);
}

/**
 * Direct readdir and stat calls, with a turn of the event loop every STATS_PER_TURN entries of the
 * whole walk: measured on 10,000 files, lstatSync costs 4 us a file, a callback 10 us, a promise
 * 23 us (it was a third of sending 10,000 small files), and a readdir promise per folder left the
 * scan idle 13 ms in 100 folders. A turn of 1,000 local stats blocks the loop about 4 ms.
 */
const STATS_PER_TURN = 1_000;

/**
 * A file's stats (links to files followed), 'dir' for a real folder, null for anything else. Links
 * to folders are skipped: they can loop. Folders need no stat: readdir already said what they are.
 */
function classify(abs: string, d: Dirent): Stats | 'dir' | null {
  if (d.isDirectory()) return 'dir';
  const typeKnown = d.isFile() || d.isSymbolicLink() || d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice();
  if (typeKnown && !d.isFile() && !d.isSymbolicLink()) return null;
  let st = lstatSync(abs);
  if (st.isDirectory()) return 'dir'; // the file system did not tell readdir the type
  if (st.isSymbolicLink()) {
    try {
      st = statSync(abs);
    } catch {
      return null; // a broken or looping link
    }
  }
  return st.isFile() ? st : null;
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

/** A file as an offer lists it: without its path on this machine. */
export function offerEntryOf(f: OfferEntry): OfferEntry {
  return { path: f.path, size: f.size, mtime: f.mtime };
}

/** hex SHA-256 of the canonical [[path, size, mtime], ...] list (PROTOCOL.md section 2). */
export function resumeKeyOf(files: OfferEntry[]): string {
  return createHash('sha256')
    .update(JSON.stringify(files.map((f) => [f.path, f.size, f.mtime])))
    .digest('hex');
}
