// Opening a file is the one way the renderer can make the OS run something, so it is allowed
// only for files Ferry itself received, that completed, inside the download folder, still there.
import { realpath } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import type { TransferSnapshot } from '../../../shared/types';

export async function receivedFilePath(
  t: TransferSnapshot | undefined,
  fileIndex: number,
  downloadDir: string,
): Promise<string> {
  if (!t) throw new FerryError(ErrorCode.NOT_FOUND, 'No such transfer.');
  if (t.direction !== 'in') throw new FerryError(ErrorCode.INVALID_ARGUMENT, 'Only received files can be opened.');
  const file = t.files[fileIndex];
  if (!file) throw new FerryError(ErrorCode.NOT_FOUND, `Transfer ${t.id} has no file #${fileIndex}.`);
  if (file.state !== 'completed' || !file.savedPath) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${file.path} has not been received completely.`);
  }
  const [real, root] = await Promise.all([
    realpath(file.savedPath).catch(() => null),
    realpath(downloadDir).catch(() => null),
  ]);
  if (!real) throw new FerryError(ErrorCode.NOT_FOUND, `${file.savedPath} no longer exists.`);
  if (!root || !isInside(root, real)) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${file.savedPath} is not inside the download folder ${downloadDir}.`);
  }
  return real;
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
