import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DiscoveryHint } from '../../src/shared/api';
import { DiscoveryHintWatch } from '../../src/main/engine/app/discovery-hint';

test('a hint after a quiet spell names the port; a found peer clears it', async () => {
  const seen: (DiscoveryHint | null)[] = [];
  const w = new DiscoveryHintWatch(53_417, 30, (h) => seen.push(h));
  assert.equal(w.current, null);
  await sleep(120);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.port, 53_417);
  assert.ok(Array.isArray(seen[0]?.interfaces));
  assert.deepEqual(w.current, seen[0]);
  w.peerFound();
  w.peerFound();
  assert.deepEqual(seen.slice(1), [null], 'cleared once');
  w.close();
});

test('a peer found in time means no hint at all', async () => {
  const seen: (DiscoveryHint | null)[] = [];
  const w = new DiscoveryHintWatch(1, 50, (h) => seen.push(h));
  w.peerFound();
  await sleep(120);
  assert.deepEqual(seen, []);
  w.close();
});
