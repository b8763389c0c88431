import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BLOCK_SIZE, CHUNK_MAX, PACK_FILE_MAX, PACK_HEADER_BYTES, PACK_MAX_FILES, PROTOCOL_VERSION } from '../../src/shared/protocol';
import { allocFrame, packEntryEnd, parseFrame, parseFrames, payloadStart, writeHeader, writePackEntry, writePackHeader } from '../../src/main/engine/protocol/frame';
import { parseMessage } from '../../src/main/engine/protocol/messages';
import { blake3 } from '@napi-rs/blake-hash';
import { BlockHasher, fileDigestOf } from '../../src/main/engine/transfer/block-hasher';
import { digestOf } from '../../src/main/engine/transfer/digest';
import { resumeKeyOf } from '../../src/main/engine/transfer/scan';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

test('control messages: valid ones parse, anything else is E_BAD_MESSAGE (or E_LIMIT when too big)', () => {
  const hello = { t: 'hello', versions: [PROTOCOL_VERSION], name: 'Zoë 💻 laptop', deviceType: 'laptop', port: 53417 };
  assert.deepEqual(parseMessage(JSON.stringify(hello)), hello);
  assert.equal(codeOf(() => parseMessage('{')), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage('{"t":"launch"}')), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage('[1,2]')), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ ...hello, extra: 1 }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ ...hello, name: 'a\u0007b' }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ ...hello, port: 70000 }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ t: 'ack', f: 0, written: -1, committed: 0 }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ t: 'ack', f: 0, written: 1.5, committed: 0 }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ t: 'block', f: 0, b: 0, h: 'XYZ' }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ t: 'cancel', message: 'x'.repeat(70_000) }))), 'E_LIMIT');
  const offer = { t: 'offer', transferId: '2b1c3a6e-0f7c-4d54-9d7a-2f1c1b1a0e9d', resumeKey: 'a'.repeat(64), files: [{ path: 'a', size: 1, mtime: 0 }], totalBytes: 1 };
  assert.equal(codeOf(() => parseMessage(JSON.stringify(offer))), 'ok');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ ...offer, files: [{ path: 'a', size: 2 ** 60, mtime: 0 }] }))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ ...offer, transferId: '../../x' }))), 'E_BAD_MESSAGE');
  // An own "__proto__" key (JSON.parse makes one) is an unknown field, in a message or in an entry.
  assert.equal(codeOf(() => parseMessage('{"t":"done","__proto__":{"t":"done"}}')), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify(offer).replace('"mtime":0', '"mtime":0,"__proto__":{}'))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(JSON.stringify({ ...offer, files: [{ path: 'a', size: 1 }] }))), 'E_BAD_MESSAGE');
});

test('DATA frames: header round trip, offsets past 2^32, and malformed frames are E_BAD_FRAME', () => {
  const payload = randomBytes(1000);
  const digest = randomBytes(32);
  for (const [offset, d] of [[0, null], [2 ** 32 + 12_345, digest], [2 ** 40 - 1, null]] as const) {
    const buf = allocFrame(payload.length, !!d);
    payload.copy(buf, payloadStart(!!d));
    writeHeader(buf, 0xdeadbeef, 7, offset, d);
    const fr = parseFrame(buf);
    assert.deepEqual([fr.handle, fr.file, fr.offset], [0xdeadbeef, 7, offset]);
    assert.ok(fr.payload.equals(payload));
    assert.equal(fr.fileDigest?.toString('hex') ?? null, d?.toString('hex') ?? null);
  }
  assert.equal(codeOf(() => parseFrame(Buffer.alloc(10))), 'E_BAD_FRAME');
  const wrongKind = allocFrame(0, false);
  writeHeader(wrongKind, 1, 0, 0, null);
  wrongKind[0] = 9;
  assert.equal(codeOf(() => parseFrame(wrongKind)), 'E_BAD_FRAME');
  const noDigest = allocFrame(0, false);
  writeHeader(noDigest, 1, 0, 0, null);
  noDigest[1] = 1; // FILE_END but no room for the digest
  assert.equal(codeOf(() => parseFrame(noDigest)), 'E_BAD_FRAME');
  assert.equal(codeOf(() => parseFrame(Buffer.alloc(20 + CHUNK_MAX + 1, 0).fill(1, 0, 1))), 'E_BAD_FRAME');
});

/** A PACK frame of the given files (index, bytes), each entry with the digest of its bytes. */
function pack(handle: number, files: [number, Buffer][], count = files.length): Buffer {
  const buf = Buffer.alloc(files.reduce((at, [, b]) => packEntryEnd(at, b.length), PACK_HEADER_BYTES));
  writePackHeader(buf, handle, count);
  let at = PACK_HEADER_BYTES;
  for (const [f, b] of files) {
    writePackEntry(buf, at, f, b.length, digestOf(b));
    b.copy(buf, packEntryEnd(at, 0));
    at = packEntryEnd(at, b.length);
  }
  return buf;
}

test('PACK frames: each entry reads as the whole-file DATA frame it stands for; malformed packs are E_BAD_FRAME', () => {
  const files: [number, Buffer][] = [[3, randomBytes(4096)], [0, Buffer.alloc(0)], [2 ** 32 - 1, randomBytes(PACK_FILE_MAX)]];
  const frames = parseFrames(pack(0xfeedf00d, files));
  assert.deepEqual(frames.map((f) => [f.handle, f.file, f.offset, f.payload.length]), files.map(([f, b]) => [0xfeedf00d, f, 0, b.length]));
  frames.forEach((fr, i) => {
    assert.ok(fr.payload.equals(files[i][1]));
    assert.ok(fr.fileDigest?.equals(digestOf(files[i][1])));
  });
  // A DATA frame is still one frame.
  const data = allocFrame(3, true);
  writeHeader(data, 1, 5, 0, randomBytes(32));
  assert.deepEqual(parseFrames(data).map((f) => f.file), [5]);

  const good = pack(1, [[0, randomBytes(10)], [1, randomBytes(20)]]);
  const bad = (mutate: (b: Buffer) => Buffer) => codeOf(() => parseFrames(mutate(Buffer.from(good))));
  assert.equal(bad((b) => b.subarray(0, 5)), 'E_BAD_FRAME', 'shorter than its header');
  assert.equal(bad((b) => (b.writeUInt8(1, 1), b)), 'E_BAD_FRAME', 'flags');
  assert.equal(bad((b) => (b.writeUInt16BE(0, 2), b)), 'E_BAD_FRAME', 'no files');
  assert.equal(bad((b) => (b.writeUInt16BE(3, 2), b)), 'E_BAD_FRAME', 'more files named than there are');
  assert.equal(bad((b) => (b.writeUInt16BE(1, 2), b)), 'E_BAD_FRAME', 'bytes after the last file');
  assert.equal(bad((b) => b.subarray(0, b.length - 1)), 'E_BAD_FRAME', 'last file cut short');
  assert.equal(bad((b) => (b.writeUInt32BE(PACK_FILE_MAX + 1, PACK_HEADER_BYTES + 4), b)), 'E_BAD_FRAME', 'a file too large for a pack');
  assert.equal(codeOf(() => parseFrames(pack(1, [[0, Buffer.alloc(0)]], PACK_MAX_FILES + 1))), 'E_BAD_FRAME', 'too many files');
  const tooMuch = Array.from({ length: CHUNK_MAX / PACK_FILE_MAX + 1 }, (_, i): [number, Buffer] => [i, Buffer.alloc(PACK_FILE_MAX)]);
  assert.equal(codeOf(() => parseFrames(pack(1, tooMuch))), 'E_BAD_FRAME', 'more than CHUNK_MAX in all');
});

test('block hasher: blocks of BLOCK_SIZE however the bytes are cut, file digest over block digests', () => {
  const data = randomBytes(2 * BLOCK_SIZE + 99);
  const h = new BlockHasher(data.length);
  const done: number[] = [];
  for (let at = 0; at < data.length; at += 777_777) done.push(...h.update(data.subarray(at, at + 777_777)));
  assert.deepEqual(done, [0, 1, 2]);
  assert.ok(h.complete);
  const blocks = [0, 1, 2].map((b) => blake3(data.subarray(b * BLOCK_SIZE, (b + 1) * BLOCK_SIZE)));
  assert.ok(h.fileDigest().equals(fileDigestOf(blocks)));
  assert.ok(fileDigestOf(blocks).equals(blake3(Buffer.concat(blocks))));
  assert.ok(fileDigestOf([blocks[0]]).equals(blocks[0]), 'a one-block file: the block digest is the file digest');
  assert.ok(fileDigestOf([]).equals(blake3(Buffer.alloc(0))), 'an empty file: the digest of nothing');
  h.truncate(1);
  assert.equal(h.position, BLOCK_SIZE);
  assert.deepEqual(h.update(data.subarray(BLOCK_SIZE)), [1, 2]);
  assert.ok(h.fileDigest().equals(fileDigestOf(blocks)));
  assert.ok(new BlockHasher(0).complete);
});

test('the content digest is BLAKE3-256 (the reference vector for "abc"), one call or fed piece by piece', () => {
  const abc = '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85';
  assert.equal(digestOf(Buffer.from('abc')).toString('hex'), abc);
  const h = new BlockHasher(3);
  assert.deepEqual([...h.update(Buffer.from('a')), ...h.update(Buffer.from('bc'))], [0]);
  assert.equal(h.digests[0].toString('hex'), abc);
});

test('resumeKey depends on path, size and mtime, in order', () => {
  const a = [{ path: 'x', size: 1, mtime: 5 }];
  assert.equal(resumeKeyOf(a), resumeKeyOf([{ path: 'x', size: 1, mtime: 5 }]));
  assert.notEqual(resumeKeyOf(a), resumeKeyOf([{ path: 'x', size: 1, mtime: 6 }]));
  assert.match(resumeKeyOf(a), /^[0-9a-f]{64}$/);
});

test('device names: 64 characters (emoji count as one) pass, 65 do not', () => {
  const hello = (name: string) => JSON.stringify({ t: 'hello', versions: [PROTOCOL_VERSION], name, deviceType: 'desktop', port: 1 });
  assert.equal(codeOf(() => parseMessage(hello('💻'.repeat(64)))), 'ok');
  assert.equal(codeOf(() => parseMessage(hello('a'.repeat(65)))), 'E_BAD_MESSAGE');
  assert.equal(codeOf(() => parseMessage(hello(''))), 'E_BAD_MESSAGE');
});

test('an accept of many files, or of a large file resumed with many block digests, is not capped like a small control message', () => {
  const manyFiles = { t: 'accept', transferId: '00000000-0000-4000-8000-000000000000', handle: 1, files: [] as unknown[] };
  for (let i = 0; i < 10_000; i++) manyFiles.files.push({ index: i, offset: 0, blocks: [] });
  assert.ok(JSON.stringify(manyFiles).length > 64 * 1024);
  assert.equal(codeOf(() => parseMessage(JSON.stringify(manyFiles))), 'ok');
  const digest = createHash('sha256').update('x').digest('hex');
  const bigResume = { ...manyFiles, files: [{ index: 0, offset: 2000 * BLOCK_SIZE, blocks: Array(2000).fill(digest) }] };
  assert.equal(codeOf(() => parseMessage(JSON.stringify(bigResume))), 'ok');
  // Other messages keep the small cap.
  const bloated = { t: 'cancel', message: 'x'.repeat(70 * 1024) };
  assert.equal(codeOf(() => parseMessage(JSON.stringify(bloated))), 'E_LIMIT');
});
