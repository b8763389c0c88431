// Names offered by a peer are hostile until proven otherwise. Everything that turns an offered
// path into a place on our disk goes through here: validate, make safe for this OS, stay inside root.
import { closeSync, linkSync, lstatSync, openSync, realpathSync, renameSync, type Stats, unlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const DRIVE = /^[a-zA-Z]:/;
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const WIN_FORBIDDEN = /[<>:"|?*]/g;
const MAX_COPIES = 10_000;

function bad(p: string, problem: string): FerryError {
  return new FerryError(ErrorCode.BAD_NAME, `Refused the offered name ${JSON.stringify(p)}: ${problem}`);
}

/**
 * Checks a '/'-separated relative path from a peer and returns it made safe for this OS.
 * Throws E_BAD_NAME for anything that could escape the folder or confuse the file system;
 * names that are merely unusual (unicode, spaces, leading dots) are returned untouched.
 */
export function validateOfferedPath(p: string, platform: NodeJS.Platform = process.platform): string {
  if (typeof p !== 'string' || p === '') throw bad(String(p), 'the path is empty');
  if (CONTROL.test(p)) throw bad(p, 'it contains a control character');
  if (p.includes('\\')) throw bad(p, 'it contains a backslash (only "/" separates folders)');
  if (p.startsWith('/')) throw bad(p, 'it is an absolute path');
  if (DRIVE.test(p)) throw bad(p, 'it starts with a drive letter');
  if (Buffer.byteLength(p) > LIMITS.maxPathBytes) throw bad(p, `it is longer than ${LIMITS.maxPathBytes} bytes`);
  const parts = p.split('/');
  if (parts.length > LIMITS.maxPathDepth) throw bad(p, `it is nested deeper than ${LIMITS.maxPathDepth} folders`);
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '') throw bad(p, 'it has an empty folder or file name');
    if (part === '.' || part === '..') throw bad(p, `it contains a "${part}" component`);
    if (Buffer.byteLength(part) > LIMITS.maxNameBytes) throw bad(p, `a name is longer than ${LIMITS.maxNameBytes} bytes`);
    const safe = safeComponent(part, platform);
    if (safe !== part) {
      parts[i] = safe;
      changed = true;
    }
  }
  // The usual case returns the offered string itself: 100,000 entries, 100,000 fewer strings.
  return changed ? parts.join('/') : p;
}

function safeComponent(name: string, platform: NodeJS.Platform): string {
  let out = name;
  if (platform === 'win32') {
    out = out.replace(WIN_FORBIDDEN, '_').replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  }
  // Device names are reserved on Windows with any extension; rename everywhere so a folder
  // received on Linux can still be copied to a Windows machine.
  const dot = out.indexOf('.');
  const base = dot === -1 ? out : out.slice(0, dot);
  if (RESERVED.test(base.trimEnd())) out = base + '_' + out.slice(base.length);
  return out;
}

/** Real path of p, or of its deepest existing ancestor with the rest appended. */
function realpathDeepest(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    let exists = true;
    try {
      lstatSync(cur);
    } catch {
      exists = false;
    }
    if (exists) {
      let real: string;
      try {
        real = realpathSync.native(cur);
      } catch {
        throw new FerryError(ErrorCode.BAD_NAME, `Cannot resolve ${cur} (a broken link?)`);
      }
      return rest.length ? join(real, ...rest.reverse()) : real;
    }
    const parent = dirname(cur);
    if (parent === cur) return p;
    rest.push(basename(cur));
    cur = parent;
  }
}

let lastRoot = '';
let lastAbsolute = '';
/** resolve(root), remembered for the root used last (one download folder at a time). */
function absolute(root: string): string {
  if (root !== lastRoot) [lastRoot, lastAbsolute] = [root, resolve(root)];
  return lastAbsolute;
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Absolute path of rel under root, by its letters only: throws E_BAD_NAME if it escapes. Called
 * for every offered file, so it compares prefixes of resolved paths (path.relative cost more than
 * the rest of naming a small file).
 */
export function joinInside(root: string, rel: string): string {
  const absRoot = absolute(root);
  const target = resolve(absRoot, rel);
  if (!target.startsWith(absRoot.endsWith(sep) ? absRoot : absRoot + sep)) {
    throw new FerryError(ErrorCode.BAD_NAME, `The path ${JSON.stringify(rel)} would land outside ${absRoot}`);
  }
  return target;
}

/** Absolute path of rel under root; throws E_BAD_NAME if it escapes, also through a symlink. */
export function resolveInside(root: string, rel: string): string {
  const absRoot = absolute(root);
  const target = joinInside(root, rel);
  if (!inside(realpathDeepest(absRoot), realpathDeepest(target))) {
    throw new FerryError(ErrorCode.BAD_NAME, `The path ${JSON.stringify(rel)} leads outside ${absRoot} through a link`);
  }
  return target;
}

/** "a.tar.gz" -> ["a", ".tar.gz"]; ".bashrc" -> [".bashrc", ""]; "x.jpg" -> ["x", ".jpg"]. */
export function splitExtension(name: string): [string, string] {
  const lead = name.match(/^\.*/)![0].length;
  const m = name.slice(lead).match(/(\.tar)?\.[^.\s]{1,10}$/);
  if (!m || m.index === 0) return [name, ''];
  const at = lead + m.index!;
  return [name.slice(0, at), name.slice(at)];
}

function numbered(name: string, n: number): string {
  if (n === 0) return name;
  const [whole, ext] = splitExtension(name);
  let stem = whole;
  const suffix = ` (${n})`;
  while (stem.length > 1 && Buffer.byteLength(stem + suffix + ext) > LIMITS.maxNameBytes) stem = stem.slice(0, -1);
  return stem + suffix + ext;
}

/** Errors from link() on file systems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS: ReadonlySet<string | undefined> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Moves the finished file `from` to dir/name, or to "name (1).ext", "name (2).ext"... when that is
 * taken. Never overwrites: link() fails on any existing entry, so taking a name is atomic and makes
 * no new inode (creating files is the slow part on many disks). Without hard links it falls back
 * to an exclusive placeholder renamed over. `dir` must already be checked to lie inside the root.
 * Synchronous: two metadata calls cost less than two thread-pool round trips per received file.
 */
export function moveToUniqueName(from: string, dir: string, name: string, hardLinks = true): string {
  let links = hardLinks;
  for (let n = 0; n < MAX_COPIES; n++) {
    const candidate = join(dir, numbered(name, n));
    try {
      if (links) {
        linkSync(from, candidate);
        unlinkQuietly(from); // saved either way; a stray temp is only clutter
      } else renameOntoPlaceholder(from, candidate);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (links && NO_HARD_LINKS.has(code)) {
        links = false;
        n--;
        continue;
      }
      throw new FerryError(ErrorCode.IO, `Cannot save ${candidate}: ${(err as Error).message}`, { cause: err });
    }
  }
  throw new FerryError(ErrorCode.IO, `Too many files named like ${join(dir, name)} already exist`);
}

/**
 * The base of a hidden `.base.<id>[-n].ferry-part` name: cut (whole characters) to 180 bytes, so
 * the whole stays within a 255-byte name.
 */
export function partBase(name: string): string {
  let base = name;
  while (Buffer.byteLength(base) > 180) base = [...base].slice(0, -1).join('');
  return base;
}

/**
 * Moves the folder `from` to dir/name, or to "name (1)", "name (2)"... when that is taken. rename()
 * fails on a folder that has anything in it, and on anything that is not a folder; the check before
 * each try keeps it off an empty one too (where it would land, the only thing replaced being an
 * empty folder). `dir` must already be checked to lie inside the root.
 */
export function moveDirToUniqueName(from: string, dir: string, name: string): string {
  for (let n = 0; n < MAX_COPIES; n++) {
    const candidate = join(dir, numbered(name, n));
    if (lstatOrNull(candidate)) continue;
    try {
      renameSync(from, candidate);
      return candidate;
    } catch (err) {
      // Taken meanwhile (each OS says so with its own code); anything else, a folder held open on
      // Windows say, is an error and not a reason to try "name (2)".
      if (lstatOrNull(candidate)) continue;
      throw new FerryError(ErrorCode.IO, `Cannot move ${from} to ${candidate}: ${(err as Error).message}`, { cause: err });
    }
  }
  throw new FerryError(ErrorCode.IO, `Too many folders named like ${join(dir, name)} already exist`);
}

/** What is at p itself (a link is not followed), or null when nothing is. */
export function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function renameOntoPlaceholder(from: string, candidate: string): void {
  closeSync(openSync(candidate, 'wx'));
  try {
    renameSync(from, candidate);
  } catch (err) {
    unlinkQuietly(candidate);
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone, or not ours to remove */
  }
}
