// Hostile offers: names that try to escape the download folder or confuse the file system,
// absurd sizes and entry counts. Each is refused with a clear code before a byte is written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LIMITS } from '../../src/shared/limits';
import { offerMessage } from '../support/hostile-client';
import { expectClosedWith, openArena, underAttack, type Arena } from './arena';

let arena: Arena;
before(async () => {
  arena = await openArena();
});
after(() => arena.close());

type Files = { path: string; size: number; mtime?: number }[];
const one = (path: string): Files => [{ path, size: 10 }];

/** Offers `files` (message fields overridable) and expects the connection closed with `code`. */
async function refused(files: Files, code: string, over: Record<string, unknown> = {}): Promise<void> {
  await underAttack(arena, async () => {
    const c = await arena.ready();
    c.sendJson(offerMessage(files, over));
    await expectClosedWith(c, code);
    assert.equal(c.received.some((m) => 't' in m && m.t === 'accept'), false, 'the offer was accepted');
  });
}

test('offers: traversal and absolute names are refused (E_BAD_NAME)', async (t) => {
  const tk = arena.token;
  const names = [
    `../${tk}`,
    `a/../../${tk}`,
    `a/../${tk}`,
    `../../${tk}`,
    `./${tk}`,
    `a/./${tk}`,
    `/tmp/${tk}`,
    `/${tk}`,
    `C:\\${tk}`,
    `C:/${tk}`,
    `c:${tk}`,
    `\\\\server\\share\\${tk}`,
    `//server/share/${tk}`,
    `a\\..\\..\\${tk}`,
    `..\\${tk}`,
    `a//${tk}`,
    `${tk}/`,
    `..`,
    `.`,
  ];
  for (const n of names) await t.test(JSON.stringify(n), () => refused(one(n), 'E_BAD_NAME'));
});

test('offers: control characters and NUL in names are refused (E_BAD_NAME)', async (t) => {
  for (const n of [`${arena.token}\u0000.txt`, `a\u0000/../../${arena.token}`, `x\ny`, `x\ry`, `\u001b[31mred`, `del\u007f`]) {
    await t.test(JSON.stringify(n), () => refused(one(n), 'E_BAD_NAME'));
  }
});

test('offers: over-long names and paths are refused', async (t) => {
  await t.test('a name of 10,000 bytes', () => refused(one('n'.repeat(10_000)), 'E_BAD_MESSAGE'));
  await t.test('a component of 256 bytes', () => refused(one('n'.repeat(256)), 'E_BAD_NAME'));
  await t.test('a 4,096-char path of 3-byte chars (12 KiB)', () => refused(one('\u4e2d'.repeat(4096)), 'E_BAD_NAME'));
  await t.test('a path 65 folders deep', () => refused(one(Array.from({ length: 65 }, () => 'd').join('/')), 'E_BAD_NAME'));
});

test('offers: negative, fractional and absurd sizes are refused (E_BAD_MESSAGE)', async (t) => {
  await t.test('size -1', () => refused([{ path: 'neg.bin', size: -1 }], 'E_BAD_MESSAGE'));
  await t.test('size 1.5', () => refused([{ path: 'frac.bin', size: 1.5 }], 'E_BAD_MESSAGE'));
  await t.test('size 2^53', () => refused([{ path: 'huge.bin', size: 2 ** 53 }], 'E_BAD_MESSAGE'));
  await t.test('size past maxFileSize', () => refused([{ path: 'huge.bin', size: LIMITS.maxFileSize + 1 }], 'E_BAD_MESSAGE'));
  await t.test('size as a string', () => refused([{ path: 's.bin', size: '10' as unknown as number }], 'E_BAD_MESSAGE'));
  await t.test('negative mtime', () => refused([{ path: 'm.bin', size: 1, mtime: -5 }], 'E_BAD_MESSAGE'));
  await t.test('totalBytes that does not add up', () => refused([{ path: 't.bin', size: 10 }], 'E_BAD_MESSAGE', { totalBytes: 5 }));
  await t.test('totalBytes negative', () => refused([{ path: 't.bin', size: 0 }], 'E_BAD_MESSAGE', { totalBytes: -1 }));
});

test('offers: a legal but absurd size (16 TiB) is rejected for space, nothing written', async () => {
  await underAttack(arena, async () => {
    const c = await arena.ready();
    c.sendJson(offerMessage([{ path: 'big.bin', size: LIMITS.maxFileSize }]));
    const r = await c.waitType('reject');
    assert.equal(r?.code, 'E_NO_SPACE');
    await c.closed;
  });
});

test('offers: duplicate paths, and a path that is both file and folder (E_BAD_NAME)', async (t) => {
  await t.test('duplicate', () => refused([{ path: 'dup.txt', size: 1 }, { path: 'dup.txt', size: 2 }], 'E_BAD_NAME'));
  await t.test('duplicate after NFC normalisation', () => refused([{ path: 'caf\u00e9', size: 1 }, { path: 'cafe\u0301', size: 1 }], 'E_BAD_NAME'));
  await t.test('file used as a folder', () => refused([{ path: 'a', size: 1 }, { path: 'a/b', size: 1 }], 'E_BAD_NAME'));
  await t.test('file also listed as an empty folder', () => refused([{ path: 'a', size: 1 }], 'E_BAD_NAME', { dirs: ['a'] }));
  await t.test('traversal in an empty folder', () => refused([{ path: 'ok', size: 1 }], 'E_BAD_NAME', { dirs: [`../${arena.token}`] }));
});

test('offers: 1,000,000 entries are refused (message too big, 1009), 100,001 by the schema', async (t) => {
  await t.test('1,000,000 entries', async () => {
    await underAttack(arena, async () => {
      const c = await arena.ready();
      const files = Array.from({ length: 1_000_000 }, (_, i) => ({ path: `f${i}`, size: 0, mtime: 0 }));
      c.sendJson(offerMessage(files));
      const end = await c.closed;
      assert.equal(end.code, 1009);
    });
  });
  await t.test('100,001 entries', () => refused(Array.from({ length: LIMITS.maxOfferEntries + 1 }, (_, i) => ({ path: `f${i}`, size: 0, mtime: 0 })), 'E_BAD_MESSAGE'));
  await t.test('60,000 files + 60,000 folders', () =>
    refused(
      Array.from({ length: 60_000 }, (_, i) => ({ path: `f${i}`, size: 0, mtime: 0 })),
      'E_LIMIT',
      { dirs: Array.from({ length: 60_000 }, (_, i) => `d${i}`) },
    ),
  );
});
