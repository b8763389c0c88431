// Temp paths beside each target: the per-offer folder cache must give exactly what resolving each
// path alone gives, and still refuse a target that would leave the download folder.
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { tempPathFor } from '../../src/main/engine/transfer/receiver';

const ID = '19dc3b0a-a193-4e35-b1e2-68148dd37887';
const root = join(sep, 'tmp', 'dl');

test('tempPathFor: the folder cache changes nothing; names stay beside their target', () => {
  const long = 'é'.repeat(120) + '.bin'; // 244 bytes: cut to 180 for the temp name
  const targets = ['a.bin', 'x/y/b.bin', 'x/y/c.bin', 'x/z.bin', `x/${long}`, '.hidden', 'x/y/..dots..'];
  const dirs = new Map<string, string>();
  for (const [i, t] of targets.entries()) {
    const cached = tempPathFor(root, t, ID, i, dirs);
    assert.equal(cached, tempPathFor(root, t, ID, i), t);
    const folder = t.includes('/') ? join(root, ...t.split('/').slice(0, -1)) : root;
    assert.ok(cached.startsWith(folder + sep) && !cached.slice(folder.length + 1).includes(sep), `${cached} is not beside ${t}`);
    assert.match(cached, new RegExp(`\\.19dc3b0a${i ? '-' + i.toString(36) : ''}\\.ferry-part$`));
  }
  assert.deepEqual([...dirs.keys()], ['x/y', 'x']);
  assert.equal(tempPathFor(root + sep, 'x/y/b.bin', ID, 1, dirs), tempPathFor(root, 'x/y/b.bin', ID, 1));
  assert.ok(Buffer.byteLength(tempPathFor(root, `x/${long}`, ID, 4).split(sep).pop()!) <= 255);
});

test('tempPathFor: a target whose folder escapes the root is E_BAD_NAME, cached or not', () => {
  const dirs = new Map<string, string>();
  for (const t of ['../out/a.bin', 'x/../../a.bin']) {
    assert.throws(() => tempPathFor(root, t, ID, 0, dirs), { code: 'E_BAD_NAME' }, t);
    assert.throws(() => tempPathFor(root, t, ID, 0), { code: 'E_BAD_NAME' }, t);
  }
});
