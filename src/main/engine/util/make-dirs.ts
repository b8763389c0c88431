// `mkdir -p` that always ends. Node's own (`{ recursive: true }`, Node 20 here) never returns for a
// path under /proc: mkdir answers ENOENT though the parent exists, and Node steps back to the parent
// on ENOENT and forward again on EEXIST, forever, spinning a thread-pool thread with a promise that
// never settles (`ferry receive --dir /proc/x` hung silently). Any file system that answers like
// that does the same. Here the walk goes up once, to the nearest folder that exists, then down with
// one mkdir per missing folder, and any error is final, with a message that says what is in the way.
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Creates dir and its missing parents. Rejects (ENOENT, ENOTDIR, EACCES...) instead of looping. */
export async function makeDirs(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    const st = await fs.stat(at).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT' || dirname(at) === at) throw err;
      return null;
    });
    if (st?.isDirectory()) break;
    if (st) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}' (${at} is a file)`), { code: 'ENOTDIR', path: at });
    missing.push(at);
    at = dirname(at);
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d, mode === undefined ? undefined : { mode });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await isDir(d))) continue; // made meanwhile by someone else
      if (code === 'EEXIST') throw Object.assign(new Error(`Cannot create ${d}: something that is not a folder is in the way (a link to a place that is gone?)`), { code, path: d });
      if (code === 'ENOENT') throw Object.assign(new Error(`Cannot create ${d}: ${dirname(d)} cannot hold folders`), { code, path: d });
      throw err;
    }
  }
}

async function isDir(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null))?.isDirectory() ?? false;
}
