// How Ferry saves a small file that arrived whole and verified, for the reference receivers: a temp
// file beside the target (writeWholeFile), then moveToUniqueName (link to the name, unlink the temp).
import { basename, dirname, sep } from 'node:path';
import { writeWholeFile } from '../../src/main/engine/transfer/whole-file';
import { moveToUniqueName } from '../../src/main/engine/util/safe-names';

/** Saves data as target (or "name (1)"...); returns the path it was saved under. */
export function saveLikeFerry(target: string, data: Buffer): string {
  const dir = dirname(target);
  const name = basename(target);
  const temp = `${dir}${sep}.${name}.ferry-part`;
  writeWholeFile(temp, data);
  return moveToUniqueName(temp, dir, name);
}
