// The receiver's state file: what a restart reads back is the state that was saved.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type IncomingState, IncomingStore, tempOf } from '../../src/main/engine/transfer/incoming-store';
import { planTemps } from '../../src/main/engine/transfer/receiver';
import { tempDir } from '../util/tmp-dir';

function stateFor(downloadDir: string): IncomingState {
  const targets = { 0: 'top.txt', 1: 'docs/a.txt', 2: 'docs/sub/b.txt', 3: 'pics/c.jpg' };
  const base = { transferId: randomUUID(), accepted: [0, 1, 2, 3], targets };
  return {
    v: 1,
    resumeKey: '0'.repeat(64),
    peer: { fingerprint: 'f'.repeat(64), name: 'sender', address: '127.0.0.1', port: 0 },
    files: Object.values(targets).map((path) => ({ path, size: 1, mtime: 0 })),
    dirs: ['docs', 'docs/sub', 'pics'],
    downloadDir,
    createdAt: 1,
    ...base,
    ...planTemps(downloadDir, base),
  };
}

test('a staged file has no temp path of its own: it is its target inside its stage, before and after a restart', async (t) => {
  const dir = await tempDir(t, 'ferry-instore-');
  const state = stateFor(join(dir, 'downloads'));
  const store = new IncomingStore(join(dir, 'state'));
  await store.save(state);
  const onDisk = JSON.parse(await fs.readFile(store.jsonPath(state.transferId), 'utf8')) as IncomingState;
  assert.deepEqual(Object.keys(onDisk.temps), ['0'], 'only the file at the top has a temp path');
  const [{ state: loaded }] = await store.loadAll();
  assert.deepEqual(loaded, state);
  const docs = state.stages!.docs;
  assert.equal(tempOf(loaded, 0), state.temps[0]);
  assert.equal(tempOf(loaded, 2), join(docs, 'sub', 'b.txt'));
  assert.equal(tempOf(loaded, 3), join(state.stages!.pics, 'c.jpg'));
});

test('a state file of an older version, with every temp path listed, is read as it was written', () => {
  const state = stateFor('/d');
  const older = { ...state, temps: { ...state.temps, 1: '/elsewhere/a.txt' } };
  assert.equal(tempOf(older, 1), '/elsewhere/a.txt');
  assert.equal(tempOf(older, 2), join(state.stages!.docs, 'sub', 'b.txt'));
});
