// Opening a file is the one way the renderer can make the OS run something, so it is allowed
// only for files Ferry itself received, that completed, inside the download folder, still there.
import { realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative } from 'node:path';
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

/** Files the OS would run rather than show: a peer chose the name, so Ferry never launches these. */
const RUNNABLE = new Set(
  ['exe', 'com', 'bat', 'cmd', 'msi', 'msix', 'scr', 'pif', 'lnk', 'ps1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'hta', 'cpl', 'jar',
   'sh', 'bash', 'zsh', 'csh', 'run', 'bin', 'desktop', 'appimage', 'deb', 'rpm', 'command', 'tool', 'app', 'pkg', 'workflow', 'scpt']
    .map((e) => `.${e}`),
);

export function assertOpenable(p: string): void {
  if (RUNNABLE.has(extname(p).toLowerCase())) {
    throw new FerryError(ErrorCode.INVALID_ARGUMENT, `Ferry does not run programs it received (${p}); use Show in folder instead.`);
  }
}
