// Hostile peer, protocol level: malformed, out-of-order and oversized messages and DATA frames.
// Each one is answered with a clear code, closes only that connection, and the receiver keeps
// serving: a good transfer completes during and after each attack, and nothing is written outside.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LIMITS } from '../../src/shared/limits';
import { FRAME_HEADER_BYTES, OFFER_PART_MAX, PROTOCOL_VERSION } from '../../src/shared/protocol';
import { dataFrame, digestsOf, offerMessage, packFrame, type HostileClient } from '../support/hostile-client';
import { expectClosedWith, openArena, underAttack, type Arena } from './arena';

let arena: Arena;
before(async () => {
  arena = await openArena();
});
after(() => arena.close());

/** Temp data of files the hostile client offered and the receiver accepted (kept for a resume). */
const hostilePart = (rel: string) => /^\.h-\d+\.bin\.[0-9a-f]{8}(-[0-9a-z]+)?\.ferry-part$/.test(rel);

let seq = 0;
/** A hostile connection with an accepted one-file transfer: returns the handle and the file's bytes. */
async function accepted(size = 200_000): Promise<{ c: HostileClient; handle: number; content: Buffer }> {
  const c = await arena.ready();
  const content = randomBytes(size);
  const a = await c.offer([{ path: `h-${seq++}.bin`, size }]);
  assert.ok(a && 't' in a && a.t === 'accept', `offer not accepted: ${JSON.stringify(a)}`);
  return { c, handle: a.handle as number, content };
}

const cases: [string, string, (c: HostileClient) => void][] = [
  ['a valid offer before the hello', 'E_NOT_READY', (c) => c.sendJson(offerMessage([{ path: 'a.bin', size: 1 }]))],
  ['a valid pause before the hello', 'E_NOT_READY', (c) => c.sendJson({ t: 'pause' })],
  ['binary data before the hello', 'E_NOT_READY', (c) => c.sendBinary(dataFrame(1, 0, 0, randomBytes(100)))],
  ['a hello with no common version', 'E_BAD_VERSION', (c) => c.sendJson({ t: 'hello', versions: [99, 7], name: 'x', deviceType: 'laptop', port: 1 })],
  ['a hello from a version 2 peer (SHA-256 digests)', 'E_BAD_VERSION', (c) => c.sendJson({ t: 'hello', versions: [2], name: 'x', deviceType: 'laptop', port: 1 })],
  ['a hello from a version 3 peer (accepts that list every file)', 'E_BAD_VERSION', (c) => c.sendJson({ t: 'hello', versions: [3], name: 'x', deviceType: 'laptop', port: 1 })],
  ['a hello from a version 4 peer (no PACK frames)', 'E_BAD_VERSION', (c) => c.sendJson({ t: 'hello', versions: [4], name: 'x', deviceType: 'laptop', port: 1 })],
  ['a hello from a version 5 peer (no offer parts)', 'E_BAD_VERSION', (c) => c.sendJson({ t: 'hello', versions: [5], name: 'x', deviceType: 'laptop', port: 1 })],
  ['non-JSON text', 'E_BAD_MESSAGE', (c) => c.sendText('{"t":"hello", nope')],
  ['JSON that is not an object', 'E_BAD_MESSAGE', (c) => c.sendText('[1,2,3]')],
  ['a hello missing its name', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], deviceType: 'laptop', port: 1 })],
  ['a hello with an extra field', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: 'x', deviceType: 'laptop', port: 1, admin: true })],
  ['a hello with a port out of range', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: 'x', deviceType: 'laptop', port: 70_000 })],
  ['a hello with a 65-char name', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: 'n'.repeat(65), deviceType: 'laptop', port: 1 })],
  ['an unknown message type', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'shell', cmd: 'rm -rf /' })],
  ['a __proto__ type', 'E_BAD_MESSAGE', (c) => c.sendText('{"t":"__proto__"}')],
  ['a control message over the control size limit', 'E_LIMIT', (c) => c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: 'x'.repeat(LIMITS.maxControlBytes), deviceType: 'laptop', port: 1 })],
];

for (const [what, code, send] of cases) {
  test(`hostile: ${what} -> ${code}`, async () => {
    await underAttack(arena, async () => {
      const c = await arena.connect();
      send(c);
      await expectClosedWith(c, code);
    });
  });
}

test('hostile: a ws message larger than maxMessageBytes is closed with 1009', async () => {
  await underAttack(arena, async () => {
    const c = await arena.ready();
    c.sendBinary(Buffer.alloc(LIMITS.maxMessageBytes + 1));
    const end = await c.closed;
    assert.equal(end.code, 1009);
  });
});

const afterHello: [string, string, (c: HostileClient) => void][] = [
  ['binary data before any offer (unknown transfer)', 'E_BAD_FRAME', (c) => c.sendBinary(dataFrame(7, 0, 0, randomBytes(10)))],
  ['a second hello', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: 'again', deviceType: 'laptop', port: 1 })],
  ['an accept sent to the receiver', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'accept', transferId: '00000000-0000-0000-0000-000000000000', handle: 1, files: [] })],
  ['an offer part naming a path outside the folder', 'E_BAD_NAME', (c) => c.sendJson({ t: 'offerPart', files: [{ path: '../out.bin', size: 1, mtime: 1 }] })],
  ['an empty offer part', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'offerPart', files: [] })],
  [
    'an offer part of more than OFFER_PART_MAX files',
    'E_BAD_MESSAGE',
    (c) => c.sendJson({ t: 'offerPart', files: Array.from({ length: OFFER_PART_MAX + 1 }, (_, i) => ({ path: `p${i}`, size: 0, mtime: 1 })) }),
  ],
  [
    'an offer whose total leaves out its parts',
    'E_BAD_MESSAGE',
    (c) => {
      c.sendJson({ t: 'offerPart', files: [{ path: 'a.bin', size: 5, mtime: 1 }] });
      c.sendJson(offerMessage([{ path: 'b.bin', size: 5 }]));
    },
  ],
  [
    'a file in an offer part and again in the offer',
    'E_BAD_NAME',
    (c) => {
      c.sendJson({ t: 'offerPart', files: [{ path: 'a.bin', size: 5, mtime: 1 }] });
      c.sendJson(offerMessage([{ path: 'a.bin', size: 5 }], { totalBytes: 10 }));
    },
  ],
];
for (const [what, code, send] of afterHello) {
  test(`hostile: ${what} -> ${code}`, async () => {
    await underAttack(arena, async () => {
      const c = await arena.ready();
      send(c);
      await expectClosedWith(c, code);
    });
  });
}

const dataCases: [string, string, (c: HostileClient, handle: number, content: Buffer) => void][] = [
  ['a truncated frame (shorter than the header)', 'E_BAD_FRAME', (c) => c.sendBinary(randomBytes(FRAME_HEADER_BYTES - 1))],
  ['an empty binary frame', 'E_BAD_FRAME', (c) => c.sendBinary(Buffer.alloc(0))],
  ['a frame of unknown kind', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(Buffer.concat([Buffer.from([9]), dataFrame(h, 0, 0, d.subarray(0, 100)).subarray(1)]))],
  ['a frame for an unknown transfer handle', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame((h + 1) >>> 0, 0, 0, d.subarray(0, 1000)))],
  ['a frame for an unknown file', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 5, 0, d.subarray(0, 1000)))],
  ['a frame past the end of the file', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 0, d.length + 10, d.subarray(0, 10)))],
  ['a frame at offset 2^63', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 0, 2 ** 63, d.subarray(0, 10)))],
  ['a frame that runs past the end', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 0, 0, Buffer.concat([d, d.subarray(0, 10)])))],
  ['a gap (data ahead of the expected offset)', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 0, 1000, d.subarray(1000, 2000)))],
  [
    'a duplicate chunk',
    'E_BAD_FRAME',
    (c, h, d) => {
      c.sendBinary(dataFrame(h, 0, 0, d.subarray(0, 50_000)));
      c.sendBinary(dataFrame(h, 0, 0, d.subarray(0, 50_000)));
    },
  ],
  [
    'an overlapping chunk',
    'E_BAD_FRAME',
    (c, h, d) => {
      c.sendBinary(dataFrame(h, 0, 0, d.subarray(0, 50_000)));
      c.sendBinary(dataFrame(h, 0, 40_000, d.subarray(40_000, 90_000)));
    },
  ],
  ['the last frame without the file-end flag', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 0, 0, d))],
  ['a file-end flag on a middle frame', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(dataFrame(h, 0, 0, d.subarray(0, 10), randomBytes(32)))],
  ['unknown frame flags', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(Buffer.concat([Buffer.from([1, 0x80]), dataFrame(h, 0, 0, d.subarray(0, 10)).subarray(2)]))],
  ['a PACK frame holding a file larger than PACK_FILE_MAX', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(packFrame(h, [{ file: 0, payload: d }]))],
  ['a PACK frame cut short', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(packFrame(h, [{ file: 0, payload: d.subarray(0, 1000) }]).subarray(0, -1))],
  ['a PACK frame naming more files than it holds', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(packFrame(h, [{ file: 0, payload: d.subarray(0, 1000) }], 2))],
  ['a PACK frame with only part of its file', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(packFrame(h, [{ file: 0, payload: d.subarray(0, 1000) }]))],
  ['a PACK frame for an unknown file', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(packFrame(h, [{ file: 5, payload: d.subarray(0, 1000) }]))],
  ['a PACK frame for an unknown transfer handle', 'E_BAD_FRAME', (c, h, d) => c.sendBinary(packFrame((h + 1) >>> 0, [{ file: 0, payload: d.subarray(0, 1000) }]))],
  ['a block digest for data that has not arrived', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'block', f: 0, b: 0, h: '0'.repeat(64) })],
  ['a block message for a file not in the transfer', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'block', f: 3, b: 0, h: '0'.repeat(64) })],
  ['an offer part after the offer', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'offerPart', files: [{ path: 'late.bin', size: 1, mtime: 1 }] })],
  ['a second offer on the same connection', 'E_BAD_MESSAGE', (c) => c.sendJson({ t: 'offer', transferId: '00000000-0000-4000-8000-000000000000', resumeKey: '0'.repeat(64), files: [], totalBytes: 0 })],
];
for (const [what, code, send] of dataCases) {
  test(`hostile: ${what} -> ${code}`, async () => {
    await underAttack(
      arena,
      async () => {
        const { c, handle, content } = await accepted();
        send(c, handle, content);
        await expectClosedWith(c, code);
      },
      hostilePart,
    );
  });
}

const lyingFrames: [string, (handle: number, content: Buffer) => Buffer][] = [
  ['DATA frame', (h, content) => dataFrame(h, 0, 0, content, randomBytes(32))],
  ['PACK frame', (h, content) => packFrame(h, [{ file: 0, payload: content, digest: randomBytes(32) }])],
];
for (const [kind, lying] of lyingFrames) test(`hostile: a file whose digest lies (${kind}) is never placed as complete`, async () => {
  await underAttack(
    arena,
    async () => {
      const { c, handle, content } = await accepted(60_000);
      const name = `h-${seq - 1}.bin`;
      // Every attempt carries a wrong digest; after the allowed rewinds the file fails.
      for (let i = 0; i < 5 && c.isOpen; i++) {
        c.sendBinary(lying(handle, content));
        const rw = await c.waitFor((m) => 't' in m && (m.t === 'rewind' || m.t === 'fileDone' || m.t === 'filesDone' || m.t === 'done'), 5_000);
        if (!rw || !('t' in rw) || rw.t !== 'rewind') break;
        c.received.splice(c.received.indexOf(rw), 1);
        c.sendJson({ t: 'rewound', f: 0, offset: 0 });
      }
      assert.equal(c.received.some((m) => 't' in m && (m.t === 'fileDone' || m.t === 'filesDone')), false, 'a file with a wrong digest was reported done');
      await c.end();
      const all = await arena.snapshot();
      assert.equal([...all.keys()].some((k) => k.endsWith(name)), false, 'a file that did not verify was placed');
    },
    hostilePart,
  );
});

test('hostile: a file saved under another name than offered is reported alone, with the name it got', async () => {
  const name = `h-${seq}.bin`; // the name accepted() offers next
  await fs.writeFile(join(arena.recv.downloadDir, name), 'already here');
  const { c, handle, content } = await accepted(1_000);
  c.sendBinary(dataFrame(handle, 0, 0, content, digestsOf(content).file));
  const done = await c.waitType('fileDone');
  assert.deepEqual(done, { t: 'fileDone', f: 0, savedAs: `h-${seq - 1} (1).bin` });
  assert.equal(await fs.readFile(join(arena.recv.downloadDir, name), 'utf8'), 'already here');
  await c.end();
});

test('hostile: after a file is saved, a late block report is ignored and its data again is E_BAD_FRAME', async () => {
  await underAttack(
    arena,
    async () => {
      const c = await arena.ready();
      const [a, b] = [randomBytes(3_000), randomBytes(3_000)];
      const acc = await c.offer([{ path: `h-${seq++}.bin`, size: a.length }, { path: `h-${seq++}.bin`, size: b.length }]);
      assert.ok(acc && 't' in acc && acc.t === 'accept', `offer not accepted: ${JSON.stringify(acc)}`);
      const handle = acc.handle as number;
      c.sendBinary(dataFrame(handle, 0, 0, a, digestsOf(a).file));
      assert.deepEqual((await c.waitType('filesDone'))?.f, [0]);
      c.sendJson({ t: 'block', f: 0, b: 0, h: digestsOf(a).blocks[0].toString('hex') }); // stale news: no harm
      c.sendBinary(dataFrame(handle, 0, 0, a, digestsOf(a).file));
      await expectClosedWith(c, 'E_BAD_FRAME');
    },
    (rel) => hostilePart(rel) || /^h-\d+\.bin$/.test(rel),
  );
});

test('a finished transfer offered again by its sender (it missed our done) is confirmed: nothing sent or saved twice', async () => {
  const name = `h-${seq++}.bin`;
  const content = randomBytes(5_000);
  const transferId = randomUUID();
  const c = await arena.ready();
  const acc = await c.offer([{ path: name, size: content.length }], { transferId });
  assert.ok(acc && 't' in acc && acc.t === 'accept', `offer not accepted: ${JSON.stringify(acc)}`);
  c.sendBinary(dataFrame(acc.handle as number, 0, 0, content, digestsOf(content).file));
  assert.ok(await c.waitType('done'));
  await c.end();
  const again = await arena.ready();
  const acc2 = await again.offer([{ path: name, size: content.length }], { transferId });
  assert.ok(acc2 && 't' in acc2 && acc2.t === 'accept', `second offer: ${JSON.stringify(acc2)}`);
  assert.deepEqual([acc2.files, acc2.fresh, acc2.done], [[], undefined, [0]], 'nothing to send, file 0 already saved');
  assert.ok(await again.waitType('done'));
  await again.end();
  const saved = (await fs.readdir(arena.recv.downloadDir)).filter((n) => n.startsWith(name.slice(0, -4)));
  assert.deepEqual(saved, [name], 'one copy, no "(1)"');
  assert.deepEqual(await fs.readFile(join(arena.recv.downloadDir, name)), content);
});

test('hostile: a correct transfer from the hostile client still works (the harness itself is sound)', async () => {
  const before = await arena.snapshot();
  const { c, handle, content } = await accepted(300_000);
  const name = `h-${seq - 1}.bin`;
  const d = digestsOf(content);
  c.sendBinary(dataFrame(handle, 0, 0, content.subarray(0, 100_000)));
  c.sendBinary(dataFrame(handle, 0, 100_000, content.subarray(100_000), d.file));
  c.sendJson({ t: 'block', f: 0, b: 0, h: d.blocks[0].toString('hex') });
  const done = await c.waitType('filesDone'); // saved under the offered name: batched, no savedAs
  assert.deepEqual(done?.f, [0]);
  await c.end();
  await arena.assertClean(before, (rel) => rel === name);
});
