// The receiver's check of an offer that came in parts: the parts and the offer are one list, and
// what would be wrong in one message is wrong across them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { MsgOf, OfferEntry } from '../../src/main/engine/protocol/messages';
import { checkOffer, OfferCheck } from '../../src/main/engine/transfer/offer-check';
import { LIMITS } from '../../src/shared/limits';

const entry = (path: string, size = 1): OfferEntry => ({ path, size, mtime: 1 });
function offer(files: OfferEntry[], totalBytes: number, dirs?: string[]): MsgOf<'offer'> {
  return { t: 'offer', transferId: randomUUID(), resumeKey: '0'.repeat(64), files, totalBytes, ...(dirs ? { dirs } : {}) };
}
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

test('offer check: parts then the offer make one list, in order, with safe targets', () => {
  const c = new OfferCheck();
  c.add([entry('top/a'), entry('top/b', 2)]);
  c.add([entry('top/sub/c', 3)]);
  const { offer: whole, targets, dirs } = c.finish(offer([entry('CON.txt', 4)], 10, ['top/empty']));
  assert.deepEqual(whole.files.map((f) => f.path), ['top/a', 'top/b', 'top/sub/c', 'CON.txt']);
  assert.deepEqual(targets, ['top/a', 'top/b', 'top/sub/c', 'CON_.txt']);
  assert.deepEqual(dirs, ['top/empty']);
});

test('offer check: what is wrong across parts is refused as in one message', () => {
  assert.equal(code(() => new OfferCheck().add([entry('../out')])), 'E_BAD_NAME');
  const twice = new OfferCheck();
  twice.add([entry('top/a')]);
  assert.equal(code(() => twice.finish(offer([entry('top/a')], 2))), 'E_BAD_NAME');
  const folder = new OfferCheck();
  folder.add([entry('top/a')]);
  assert.equal(code(() => folder.finish(offer([entry('top/a/b')], 2))), 'E_BAD_NAME');
  const total = new OfferCheck();
  total.add([entry('a', 5)]);
  assert.equal(code(() => total.finish(offer([entry('b', 5)], 5))), 'E_BAD_MESSAGE', 'a total that leaves out the parts');
  assert.equal(code(() => checkOffer(offer([entry('a', 5)], 5, ['a']))), 'E_BAD_NAME');
});

test('offer check: the entry limit counts every part', () => {
  const c = new OfferCheck();
  const part = (from: number) => Array.from({ length: 1000 }, (_, i) => entry(`d/f${from + i}`, 0));
  for (let at = 0; at < LIMITS.maxOfferEntries; at += 1000) c.add(part(at));
  assert.equal(code(() => c.add([entry('d/one-more', 0)])), 'E_LIMIT');
});
