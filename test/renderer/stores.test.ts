// Store behaviour the UI relies on for smooth updates: progress deltas leave the id list alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransferSnapshot } from '../../src/shared/types';
import { applyProgress, removeTransfer, setTransfers, upsertTransfer, useTransfers } from '../../src/renderer/store/transfers';
import { setPeers, upsertPeer, usePeers } from '../../src/renderer/store/peers';

function transfer(id: string, createdAt: number, updatedAt = createdAt): TransferSnapshot {
  return {
    id,
    direction: 'out',
    peer: { fingerprint: 'f', name: 'Bob', address: '127.0.0.1', port: 1 },
  pairingCode: '123456',
    state: 'transferring',
    files: [
      { index: 0, path: 'a', size: 10, bytesDone: 0, state: 'pending' },
      { index: 1, path: 'b', size: 10, bytesDone: 0, state: 'pending' },
    ],
    totalBytes: 20,
    bytesDone: 0,
    speed: 0,
    eta: null,
    createdAt,
    updatedAt,
  };
}

test('transfers are listed newest first; progress updates one transfer and keeps the id list', () => {
  setTransfers([transfer('old', 1), transfer('new', 2)]);
  assert.deepEqual(useTransfers.getState().ids, ['new', 'old']);
  const idsBefore = useTransfers.getState().ids;
  const untouched = useTransfers.getState().byId.new;
  applyProgress({ id: 'old', bytesDone: 15, speed: 5, eta: 1, files: [{ index: 1, bytesDone: 5, state: 'transferring' }] });
  const s = useTransfers.getState();
  assert.equal(s.ids, idsBefore, 'id list must keep its identity');
  assert.equal(s.byId.new, untouched, 'other transfers must keep their identity');
  assert.equal(s.byId.old.bytesDone, 15);
  assert.equal(s.byId.old.files[1].bytesDone, 5);
  assert.equal(s.byId.old.files[1].state, 'transferring');
  assert.equal(s.byId.old.files[0].bytesDone, 0);
});

test('an older snapshot never replaces a newer one; unknown progress is ignored', () => {
  setTransfers([transfer('x', 1, 50)]);
  upsertTransfer({ ...transfer('x', 1, 40), state: 'paused' });
  assert.equal(useTransfers.getState().byId.x.state, 'transferring');
  upsertTransfer({ ...transfer('x', 1, 60), state: 'completed' });
  assert.equal(useTransfers.getState().byId.x.state, 'completed');
  applyProgress({ id: 'nope', bytesDone: 1, speed: 0, eta: null, files: [] });
  assert.equal(useTransfers.getState().byId.nope, undefined);
  removeTransfer('x');
  assert.deepEqual(useTransfers.getState().ids, []);
});

test('peers sort online first, then by name; the order keeps identity when unchanged', () => {
  const peer = (fingerprint: string, name: string, online: boolean) => ({
    fingerprint,
    name,
    online,
    deviceType: 'laptop' as const,
    address: '127.0.0.1',
    port: 1,
    protocolVersion: 1,
    source: 'manual' as const,
    trusted: false,
    fingerprintChanged: false,
    lastSeen: 0,
  });
  setPeers([peer('1', 'Zed', true), peer('2', 'Amy', false), peer('3', 'Bob', true)]);
  assert.deepEqual(usePeers.getState().order, ['3', '1', '2']);
  const before = usePeers.getState().order;
  upsertPeer({ ...peer('3', 'Bob', true), trusted: true });
  assert.equal(usePeers.getState().order, before);
  upsertPeer(peer('2', 'Amy', true));
  assert.deepEqual(usePeers.getState().order, ['2', '3', '1']);
});
