// Compares destination with source so that a fast but wrong run cannot pass.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Files up to 1 MiB are read whole: a stream would allocate its 1 MiB buffer for each one, and
 * 20,000 of those per small-files run kept both cores busy for ~5 s between runs and slowed the
 * next measured run (docs/BENCHMARKS.md, "Fresh memory on this VM").
 */
export async function sha256File(path: string, size = Infinity): Promise<string> {
  const hash = createHash('sha256');
  if (size <= 1024 * 1024) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Null when the file matches the expected digest, else what is wrong. */
export async function checkFile(path: string, expectedSha256: string, expectedSize: number): Promise<string | null> {
  const size = await stat(path).then((s) => s.size, () => -1);
  if (size < 0) return `${path} is missing`;
  if (size !== expectedSize) return `${path} has ${size} bytes, expected ${expectedSize}`;
  const got = await sha256File(path);
  return got === expectedSha256 ? null : `${path} SHA-256 ${got.slice(0, 12)}… differs from the source's ${expectedSha256.slice(0, 12)}…`;
}

/** Relative path -> size, for every regular file under dir. */
export async function listTree(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out.set(relative(dir, p), (await stat(p)).size);
  }
  return out;
}

/** Null when dst holds exactly src's files with the same bytes (every file hashed), else the first difference. */
export async function checkTree(src: string, dst: string): Promise<string | null> {
  const [a, b] = await Promise.all([listTree(src), listTree(dst)]);
  if (a.size !== b.size) return `${dst} has ${b.size} files, the source ${a.size}`;
  for (const [rel, size] of a) {
    if (b.get(rel) !== size) return `${rel}: ${b.has(rel) ? `${b.get(rel)} bytes, expected ${size}` : 'missing'}`;
  }
  const rels = [...a.keys()];
  for (let i = 0; i < rels.length; i += 32) {
    const batch = rels.slice(i, i + 32);
    const diffs = await Promise.all(
      batch.map(async (rel) => {
        const size = a.get(rel);
        return (await sha256File(join(src, rel), size)) === (await sha256File(join(dst, rel), size)) ? null : rel;
      }),
    );
    const bad = diffs.find((d) => d !== null);
    if (bad) return `${bad}: content differs from the source`;
  }
  return null;
}
