// A folder that is received is built in a hidden staging folder beside its target, and moved into
// place when the transfer ends. Its files are written straight to their own names there: no temp
// file, link and unlink per file, which was a third of the cost of saving a small one. And the
// folder never shows half of what was sent. When a folder of that name exists, the files merge into
// it as before: a name that is taken gets a " (1)" suffix. PROTOCOL.md section 6.
import { randomBytes } from 'node:crypto';
import { readdirSync, rmdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { joinInside, lstatOrNull, moveDirToUniqueName, moveToUniqueName, partBase } from '../util/safe-names';

/**
 * `.name.<token>.ferry-part` beside the folder it becomes (the name cut to stay a legal one). The
 * token is ours, random, and kept in the transfer's state: a transfer id comes from the sender,
 * and one that copied another transfer's id must not share its stage.
 */
export function stageDirFor(downloadDir: string, top: string, token = randomBytes(4).toString('hex')): string {
  return joinInside(downloadDir, `.${partBase(top)}.${token}.ferry-part`);
}

/** The top folder of a relative target path, or null for a file at the top. */
export function topFolder(target: string): string | null {
  const slash = target.indexOf('/');
  return slash > 0 ? target.slice(0, slash) : null;
}

/** Where `rel` ("top/a/b", validated, '/'-separated) is in its top folder's stage. */
export function inStage(stage: string, rel: string): string {
  const slash = rel.indexOf('/');
  if (slash < 0) return stage;
  const rest = rel.slice(slash + 1);
  return stage + sep + (sep === '/' ? rest : rest.split('/').join(sep)); // once per offered file
}

/** Where each staged path ended up. */
export class Placement {
  /** staged path -> final path, of each file or folder moved on its own. */
  private readonly moved = new Map<string, string>();

  constructor(readonly stage: string) {}

  note(from: string, to: string): void {
    this.moved.set(from, to);
  }

  /** The final path of a staged file: its own move, or that of the nearest folder above it. */
  where(staged: string): string {
    // The usual case, the stage moved in one rename: no walk up the folders of each of its files.
    const whole = this.moved.get(this.stage);
    if (whole !== undefined && staged.startsWith(this.stage) && staged[this.stage.length] === sep) return whole + staged.slice(this.stage.length);
    for (let p = staged; p.length >= this.stage.length; p = dirname(p)) {
      const to = this.moved.get(p);
      if (to !== undefined) return to + staged.slice(p.length);
      if (p === this.stage) break;
    }
    return staged;
  }
}

/**
 * Moves the staging folder into parent as `name`. One rename when the name is free; otherwise
 * its contents merge into the folder there, one level at a time. Synchronous: a folder nobody
 * had is one call, and a merge is as many calls as saving the files one by one used to be.
 * Throws E_IO: the files not yet moved stay staged, a later call continues, and `placement` has
 * what was moved.
 */
export function placeStage(stage: string, parent: string, name: string, placement = new Placement(stage)): Placement {
  if (lstatOrNull(stage)?.isDirectory()) placeDir(stage, parent, name, placement);
  return placement;
}

/** Removes the empty folders of a stage nothing was saved in; anything else in it stays. */
export function dropEmptyStage(dir: string): void {
  for (const e of readdirSyncOrEmpty(dir)) if (e.isDirectory()) dropEmptyStage(dir + sep + e.name);
  try {
    rmdirSync(dir);
  } catch {
    /* not empty, or gone */
  }
}

function readdirSyncOrEmpty(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function placeDir(from: string, parent: string, name: string, placement: Placement): void {
  const there = lstatOrNull(join(parent, name));
  // A link is never merged into: it may lead out of the download folder.
  if (!there?.isDirectory()) {
    placement.note(from, moveDirToUniqueName(from, parent, name));
    return;
  }
  const into = join(parent, name);
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const path = from + sep + e.name;
    if (e.isDirectory()) placeDir(path, into, e.name, placement);
    else if (e.isFile()) placement.note(path, moveToUniqueName(path, into, e.name));
  }
  try {
    rmdirSync(from);
  } catch {
    /* something we did not make is left in it; the folder stays hidden */
  }
}
