// The bench's tar reader against archives made by the real `tar`: long names, odd sizes, empty
// files, any chunking of the stream, and a stream cut short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TarReader, type TarEntry } from '../../bench/workers/tar-reader';

let dir: string;
let archive: Buffer;
let pax: Buffer;
const LONG = `${'deep-folder-name-'.repeat(5)}/${'a-file-name-that-is-long-'.repeat(6)}.txt`;
const FILES: Record<string, Buffer> = {
  'empty.bin': Buffer.alloc(0),
  'one.bin': Buffer.from('x'),
  'block.bin': Buffer.alloc(512, 1),
  'odd.bin': Buffer.alloc(4097, 2),
  'sub/ünïcode name.txt': Buffer.from('héllo'),
  [LONG]: Buffer.from('long'),
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-tar-reader-'));
  const src = join(dir, 'src');
  for (const [name, data] of Object.entries(FILES)) {
    await mkdir(join(src, name, '..'), { recursive: true });
    await writeFile(join(src, name), data);
  }
  archive = execFileSync('tar', ['-cf', '-', '-C', src, '.'], { maxBuffer: 1 << 24 });
  pax = execFileSync('tar', ['--format=pax', '-cf', '-', '-C', src, '.'], { maxBuffer: 1 << 24 });
});
after(() => rm(dir, { recursive: true, force: true }));

function readAll(chunks: Buffer[]): TarEntry[] {
  const out: TarEntry[] = [];
  const r = new TarReader((e) => out.push(e.type === 'file' ? { ...e, data: Buffer.from(e.data) } : e));
  for (const c of chunks) r.push(c);
  r.end();
  return out;
}

function check(entries: TarEntry[]): void {
  const files = Object.fromEntries(entries.flatMap((e) => (e.type === 'file' ? [[e.path, e.data]] : [])));
  assert.deepEqual(Object.keys(files).sort(), Object.keys(FILES).sort());
  for (const [name, data] of Object.entries(FILES)) assert.ok(files[name].equals(data), name);
  const dirs = entries.flatMap((e) => (e.type === 'dir' ? [e.path] : [])).sort();
  assert.deepEqual(dirs, ['deep-folder-name-'.repeat(5), 'sub']);
}

test('reads every file and folder of a real archive, long and unicode names included', () => {
  check(readAll([archive]));
  check(readAll([pax])); // long names as pax 'path' records instead of GNU 'L' entries
});

test('any chunking of the stream gives the same entries', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 20; round++) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < archive.length; ) {
      const n = 1 + Math.floor(rnd() * 1500);
      chunks.push(archive.subarray(at, at + n));
      at += n;
    }
    check(readAll(chunks));
  }
});

test('a stream cut inside the archive is an error, not a short success', () => {
  assert.throws(() => readAll([archive.subarray(0, 700)]), /ended inside the archive/); // inside an entry
  assert.throws(() => readAll([archive.subarray(0, 512)]), /ended inside the archive/); // after one, no end mark
});
