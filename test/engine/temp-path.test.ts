// Temp paths beside each target, with the transfer's id and the file's index in the name, and never
// outside the download folder.
import assert from 'node:assert/strict';
import { basename, join, sep } from 'node:path';
import { test } from 'node:test';
import { tempPathFor } from '../../src/main/engine/transfer/receiver';

const ID = '19dc3b0a-a193-4e35-b1e2-68148dd37887';
const root = join(sep, 'tmp', 'dl');

test('tempPathFor: a hidden name beside the target, cut to stay a legal name', () => {
  const long = 'é'.repeat(120) + '.bin'; // 244 bytes: cut to 180 for the temp name
  const targets = ['a.bin', 'x/y/b.bin', 'x/z.bin', `x/${long}`, '.hidden', 'x/y/..dots..'];
  for (const [i, t] of targets.entries()) {
    const temp = tempPathFor(root, t, ID, i);
    const folder = t.includes('/') ? join(root, ...t.split('/').slice(0, -1)) : root;
    assert.ok(temp.startsWith(folder + sep) && !temp.slice(folder.length + 1).includes(sep), `${temp} is not beside ${t}`);
    const name = basename(temp);
    assert.ok(name.startsWith('.') && name.endsWith(`.19dc3b0a${i ? '-' + i.toString(36) : ''}.ferry-part`), name);
  }
  assert.equal(tempPathFor(root + sep, 'x/y/b.bin', ID, 1), tempPathFor(root, 'x/y/b.bin', ID, 1));
  assert.ok(Buffer.byteLength(tempPathFor(root, `x/${long}`, ID, 4).split(sep).pop()!) <= 255);
});

test('tempPathFor: a target whose folder escapes the root is E_BAD_NAME', () => {
  for (const t of ['../out/a.bin', 'x/../../a.bin']) assert.throws(() => tempPathFor(root, t, ID, 0), { code: 'E_BAD_NAME' }, t);
});
