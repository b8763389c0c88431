// Event ordering in AppService, driven by a plain event source standing in for the engine's
// events (the brief allows it for this unit; app-service.test.ts covers real engines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEventName } from '../../src/shared/api';
import type { TransferProgress, TransferSnapshot, TransferState } from '../../src/shared/types';
import type { EngineApi } from '../../src/main/engine/engine-api';
import { AppService } from '../../src/main/engine/app/app-service';
import { defaultSettings } from '../../src/main/engine/app/settings';
import { TestPlatform } from '../../e2e/bridge/test-platform';

const progress = (bytesDone: number): TransferProgress => ({ id: 't1', bytesDone, speed: 1, eta: 1, files: [{ index: 0, bytesDone, state: 'transferring' }] });
const snap = (state: TransferState): TransferSnapshot => ({
  id: 't1',
  direction: 'in',
  peer: { fingerprint: 'f', name: 'Bob', address: '127.0.0.1', port: 1 },
  pairingCode: '123456',
  state,
  files: [{ index: 0, path: 'a.bin', size: 100, bytesDone: 100, state: state === 'completed' ? 'completed' : 'transferring' }],
  totalBytes: 100,
  bytesDone: 100,
  speed: 0,
  eta: null,
  createdAt: 0,
  updatedAt: 0,
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-events-'));
  const source = new EventEmitter();
  const platform = new TestPlatform();
  platform.focused = false;
  const service = new AppService({ engine: source as unknown as EngineApi, platform, stateDir: dir, settings: defaultSettings(), progressIntervalMs: 100 });
  const seen: { name: ApiEventName; payload: unknown }[] = [];
  service.onEvent((name, payload) => seen.push({ name, payload }));
  const done = async () => {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { source, platform, service, seen, done };
}

test('the final state follows the last progress, and late progress is dropped', async () => {
  const { source, platform, seen, done } = await setup();
  source.emit('transferUpserted', snap('transferring'));
  for (let i = 1; i <= 200; i++) source.emit('transferProgress', progress(i));
  source.emit('transferUpserted', snap('completed'));
  source.emit('transferProgress', progress(999)); // late: must not follow the final state
  await sleep(250);
  const names = seen.map((e) => e.name);
  assert.deepEqual(names, ['transferUpserted', 'transferProgress', 'transferProgress', 'transferUpserted']);
  assert.equal((seen[2].payload as TransferProgress).bytesDone, 200, 'pending progress flushed before the final state');
  assert.equal(platform.notes.length, 1);
  assert.match(platform.notes[0].title, /Received 1 file from Bob/);
  await done();
});

test('a retried transfer is live again and its next ending notifies again', async () => {
  const { source, platform, seen, done } = await setup();
  source.emit('transferUpserted', snap('failed'));
  source.emit('transferUpserted', snap('failed'));
  assert.equal(platform.notes.length, 1, 'the same ending is told once');
  source.emit('transferUpserted', snap('transferring'));
  source.emit('transferProgress', progress(50));
  source.emit('transferUpserted', snap('completed'));
  assert.equal(platform.notes.length, 2);
  assert.ok(seen.some((e) => e.name === 'transferProgress' && (e.payload as TransferProgress).bytesDone === 50));
  await done();
});

test('engine event shapes are mapped to the contract; close detaches', async () => {
  const { source, service, seen, done } = await setup();
  source.emit('peerRemoved', 'abc');
  source.emit('transferRemoved', 't9');
  source.emit('offerClosed', 't8');
  assert.deepEqual(seen, [
    { name: 'peerRemoved', payload: { fingerprint: 'abc' } },
    { name: 'transferRemoved', payload: { id: 't9' } },
    { name: 'offerClosed', payload: { transferId: 't8' } },
  ]);
  await service.close();
  assert.equal(source.listenerCount('transferProgress'), 0);
  await done();
});
