// PACK frames against a real receiver: a hand-written sender (rawClient) packs small files whole,
// several to a message, and the engine saves, verifies and reports each of them on its own.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { packEntryEnd, writePackEntry, writePackHeader } from '../../src/main/engine/protocol/frame';
import type { Msg } from '../../src/main/engine/protocol/messages';
import { digestOf } from '../../src/main/engine/transfer/digest';
import { PACK_HEADER_BYTES } from '../../src/shared/protocol';
import { cleanup, dataFrame, isFinal, rawClient, startEngine, tempDir, type TestEngine, waitTransfer } from './helpers';

interface Entry {
  f: number;
  bytes: Buffer;
  /** Sent in place of bytes, under the digest of bytes (a damaged copy). */
  wire?: Buffer;
}

function pack(handle: number, entries: Entry[]): Buffer {
  const buf = Buffer.alloc(entries.reduce((at, e) => packEntryEnd(at, e.bytes.length), PACK_HEADER_BYTES));
  writePackHeader(buf, handle, entries.length);
  let at = PACK_HEADER_BYTES;
  for (const e of entries) {
    writePackEntry(buf, at, e.f, e.bytes.length, digestOf(e.bytes));
    (e.wire ?? e.bytes).copy(buf, packEntryEnd(at, 0));
    at = packEntryEnd(at, e.bytes.length);
  }
  return buf;
}

/** Offers the files (path -> bytes) from a raw client; resolves with the client and the accept. */
async function offer(b: TestEngine, dir: string, files: [string, Buffer][]) {
  const c = await rawClient(b, dir);
  const transferId = randomUUID();
  const entries = files.map(([path, bytes]) => ({ path, size: bytes.length, mtime: 1 }));
  const totalBytes = files.reduce((n, [, x]) => n + x.length, 0);
  c.conn.send({ t: 'offer', transferId, resumeKey: randomBytes(32).toString('hex'), files: entries, totalBytes });
  const accept = (await c.next('accept')) as Extract<Msg, { t: 'accept' }>;
  return { c, transferId, handle: accept.handle };
}

/** Runs fn against a fresh receiver (bob) and a folder for the raw client's identity; both go after. */
async function withBob(fn: (b: TestEngine, dir: string) => Promise<void>): Promise<void> {
  const b = await startEngine('bob');
  const dir = await tempDir('ferry-packer-');
  try {
    await fn(b, dir);
  } finally {
    await cleanup(b);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Indices reported saved, by filesDone or fileDone, until `n` of them came. */
async function savedReports(c: Awaited<ReturnType<typeof rawClient>>, n: number): Promise<number[]> {
  const got: number[] = [];
  while (got.length < n) {
    const i = c.inbox.findIndex((m) => m.t === 'filesDone' || m.t === 'fileDone');
    if (i < 0) {
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    const m = c.inbox.splice(i, 1)[0];
    if (m.t === 'filesDone') got.push(...m.f);
    else if (m.t === 'fileDone') got.push(m.f);
  }
  return got.sort((x, y) => x - y);
}

test('a PACK frame of small files: each saved in its folder, verified and reported; the transfer completes', () =>
  withBob(async (b, dir) => {
    const files: [string, Buffer][] = [
      ['docs/a.txt', randomBytes(4096)],
      ['docs/empty', Buffer.alloc(0)],
      ['docs/deeper/b.bin', randomBytes(1)],
      ['top.bin', randomBytes(65_536)],
    ];
    await fs.writeFile(join(b.downloadDir, 'top.bin'), 'already here');
    const { c, transferId, handle } = await offer(b, dir, files);
    c.conn.ws.send(pack(handle, files.map(([, bytes], f) => ({ f, bytes }))));
    assert.deepEqual(await savedReports(c, 4), [0, 1, 2, 3]);
    assert.ok(await c.next('done'));
    const inc = await waitTransfer(b.engine, isFinal('in', transferId));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    for (const [i, [path, bytes]] of files.entries()) {
      const at = i === 3 ? 'top (1).bin' : path; // never over a file that was there
      assert.ok((await fs.readFile(join(b.downloadDir, at))).equals(bytes), path);
      assert.equal(inc.files[i].savedPath, join(b.downloadDir, at));
    }
    assert.equal(inc.bytesDone, inc.totalBytes);
  }));

test('a damaged file inside a PACK frame is re-requested alone; the others of the pack are saved', () =>
  withBob(async (b, dir) => {
    const files: [string, Buffer][] = [0, 1, 2].map((i) => [`set/${i}.bin`, randomBytes(5000)]);
    const { c, transferId, handle } = await offer(b, dir, files);
    const damaged = Buffer.from(files[1][1]);
    damaged[4999] ^= 1;
    c.conn.ws.send(pack(handle, files.map(([, bytes], f) => ({ f, bytes, wire: f === 1 ? damaged : undefined }))));
    assert.deepEqual(await c.next('rewind'), { t: 'rewind', f: 1, offset: 0 });
    assert.deepEqual(await savedReports(c, 2), [0, 2]);
    const stage = (await fs.readdir(b.downloadDir)).find((n) => n.endsWith('.ferry-part'));
    assert.ok(stage, 'the folder is still being built out of sight');
    for (const f of [0, 2]) assert.ok((await fs.readFile(join(b.downloadDir, stage, `${f}.bin`))).equals(files[f][1]));
    const kept = await fs.readFile(join(b.downloadDir, stage, '1.bin')).catch(() => Buffer.alloc(0));
    assert.equal(kept.length, 0, 'nothing of the damaged copy is kept');
    c.conn.send({ t: 'rewound', f: 1, offset: 0 });
    c.conn.ws.send(dataFrame(handle, 1, 0, files[1][1], digestOf(files[1][1])));
    assert.deepEqual(await savedReports(c, 1), [1]);
    const inc = await waitTransfer(b.engine, isFinal('in', transferId));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    for (const [path, bytes] of files) assert.ok((await fs.readFile(join(b.downloadDir, path))).equals(bytes), path);
  }));

test('a PACK frame that repeats a file, or whose entry is not the whole offered file, is E_BAD_FRAME', () =>
  withBob(async (b, dir) => {
    const bytes = randomBytes(100);
    const cases = [
      ['a file twice', [{ f: 0, bytes }, { f: 0, bytes }]],
      ['a file shorter than offered', [{ f: 0, bytes: bytes.subarray(0, 99) }]],
      ['a file not offered', [{ f: 7, bytes }]],
    ] as const;
    for (const [n, [why, entries]] of cases.entries()) {
      const { c, transferId, handle } = await offer(b, dir, [[`${n}.bin`, bytes]]);
      c.conn.ws.send(pack(handle, [...entries]));
      const err = (await c.next('error')) as Extract<Msg, { t: 'error' }>;
      assert.equal(err.code, 'E_BAD_FRAME', why);
      await c.closed;
      // Interrupted; or, when the first copy of a repeated file was saved just before, complete.
      const inc = await waitTransfer(b.engine, isFinal('in', transferId));
      assert.ok(inc.state === 'failed' || inc.state === 'completed', why);
      const names = (await fs.readdir(b.downloadDir)).filter((x) => x.startsWith(`${n}`));
      // The first copy of a repeated file, whole and verified, may be saved before the repeat is
      // seen (and the interrupted transfer reports it once it is); never a second copy, and never
      // a file from a short or unknown entry.
      if (n > 0 || inc.state === 'completed') assert.deepEqual(names, n === 0 ? [`${n}.bin`] : [], why);
      else assert.ok(names.length === 0 || (names.length === 1 && names[0] === `${n}.bin`), why);
      if (names.length) assert.ok((await fs.readFile(join(b.downloadDir, names[0]))).equals(bytes), why);
    }
  }));
