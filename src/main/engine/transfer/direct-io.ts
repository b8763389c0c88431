// Direct I/O (O_DIRECT, Linux) for the bulk of a large incoming file: aligned writes that skip the
// page cache. The receiver syncs every 16 MiB anyway, so the cache only added work: a copy of every
// byte into freshly allocated pages, written back at the sync. On this VM 1 GiB in 4 MiB writes
// took 3.5-4.5 s of CPU buffered (with the syncs) and 0.26-0.29 s direct; the disk ran 930-1070 MB/s
// direct against 200-243 buffered (docs/BENCHMARKS.md). Everything else about a file stays as it
// was: the temp file, the journal, the fdatasync before each commit and before the rename.
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Offsets, lengths and buffer addresses of direct writes are multiples of this (512- and 4096-byte sectors alike). */
export const DIRECT_ALIGN = 4096;
/** Smaller files keep the page cache: a second descriptor and a staging copy would cost more than they save. */
export const DIRECT_MIN_SIZE = 16 * 1024 * 1024;

/**
 * Local file systems where O_DIRECT is known to be supported and fast (statfs f_type). Others keep
 * the page cache: tmpfs refuses O_DIRECT, and on network or FUSE file systems it can turn every
 * write into a wait for the server.
 */
const DIRECT_FILE_SYSTEMS: ReadonlySet<number> = new Set([0xef53 /* ext2/3/4 */, 0x58465342 /* xfs */, 0x9123683e /* btrfs */]);

const byDir = new Map<string, Promise<boolean>>();
/** An app that runs for weeks receives into many folders; the answers are cheap to ask again. */
const FOLDERS_KEPT = 64;

/** Whether files in `dir` (which exists) may be written with O_DIRECT; asked once per folder. */
export function directIoFits(dir: string): Promise<boolean> {
  if (!constants.O_DIRECT) return Promise.resolve(false); // not Linux
  let fits = byDir.get(dir);
  if (!fits) {
    if (byDir.size >= FOLDERS_KEPT) byDir.clear();
    fits = fs.statfs(dir).then(
      (st) => DIRECT_FILE_SYSTEMS.has(Number(st.type)),
      () => false,
    );
    byDir.set(dir, fits);
  }
  return fits;
}

/** A second, direct descriptor on an existing file; null when the file system refuses one. */
export async function openDirect(path: string): Promise<FileHandle | null> {
  try {
    return await fs.open(path, constants.O_WRONLY | constants.O_DIRECT);
  } catch {
    return null;
  }
}

/**
 * A page-aligned buffer to stage direct writes in, or null when none can be made. Node's Buffers
 * have no alignment anyone can rely on; WebAssembly memory starts on a page. Given back with
 * releaseAligned, and at most a few are kept: one per file being received.
 */
const kept: Buffer[] = [];
const KEPT_MAX = 4;
const WASM_PAGE = 64 * 1024;

export function takeAligned(size: number): Buffer | null {
  const found = kept.findIndex((b) => b.length === size);
  if (found >= 0) return kept.splice(found, 1)[0];
  if (size % WASM_PAGE !== 0) return null;
  try {
    const pages = size / WASM_PAGE;
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
  } catch {
    return null; // no WebAssembly (--jitless) or no address space left
  }
}

export function releaseAligned(b: Buffer): void {
  if (kept.length < KEPT_MAX) kept.push(b);
}
