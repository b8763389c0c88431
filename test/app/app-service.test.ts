// AppService over two real engines on loopback: argument checks, offers, notifications,
// progress order, opening received files, settings persistence, pickers, pauseAll.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode } from '../../src/shared/errors';
import type { ApiCallName } from '../../src/shared/api';
import type { TransferSnapshot } from '../../src/shared/types';
import { loadSettings } from '../../src/main/engine/app/settings';
import { eventsOf, startNode, until, type Node } from './helpers';

let alice: Node;
let bob: Node;
let bobFp: string;

before(async () => {
  alice = await startNode('Alice');
  bob = await startNode('Bob', 'ask');
  const peer = await alice.ok('addPeer', `127.0.0.1:${bob.engine.identity.port}`);
  bobFp = peer.fingerprint;
  assert.equal(bobFp, bob.engine.identity.fingerprint);
});

after(async () => {
  await alice?.close();
  await bob?.close();
});

async function code(node: Node, name: string, args: unknown): Promise<string> {
  const r = await node.service.call(name as ApiCallName, args);
  assert.equal(r.ok, false, `${name} should fail`);
  return r.ok ? '' : r.error.code;
}

/** What the preload does for each dropped file: tells alice's service its path. */
function dropped(paths: string[]): void {
  for (const p of paths) assert.equal(alice.service.grantPath(p), true);
}

/** Sends files from alice to bob, bob accepts, both see completed. */
async function sendAccepted(paths: string[]): Promise<TransferSnapshot> {
  dropped(paths);
  const t = await alice.ok('sendPaths', bobFp, paths);
  const offer = await until(() => bob.engine.pendingOffers().find((o) => o.transferId === t.id), 'offer at bob');
  await bob.ok('respondToOffer', offer.transferId, { accept: true });
  return until(() => bob.engine.transfers().find((x) => x.id === t.id && x.state === 'completed'), 'completed at bob');
}

test('snapshot carries identity, settings, peers and the OS look', async () => {
  const s = await alice.ok('getSnapshot');
  assert.equal(s.identity.fingerprint, alice.engine.identity.fingerprint);
  assert.equal(s.settings.deviceName, 'Alice');
  assert.ok(s.peers.some((p) => p.fingerprint === bobFp));
  assert.deepEqual(s.system, { language: 'en', dark: false });
  assert.equal(s.discoveryHint, null);
});

test('bad input from the renderer comes back as E_INVALID_ARGUMENT, unknown ids as E_NOT_FOUND', async () => {
  assert.equal(await code(alice, 'formatDisk', []), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'getSnapshot', ['extra']), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'getSnapshot', 'not-a-list'), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'sendPaths', [bobFp, 'not-a-list']), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'sendPaths', [bobFp, ['relative.txt']]), ErrorCode.INVALID_ARGUMENT);
  dropped(['/etc/hostname']);
  assert.equal(await code(alice, 'sendPaths', ['f'.repeat(64), ['/etc/hostname']]), ErrorCode.NOT_FOUND);
  assert.equal(await code(alice, 'sendPaths', [42, ['/etc/hostname']]), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'pauseTransfer', ['no-such-transfer']), ErrorCode.NOT_FOUND);
  assert.equal(await code(alice, 'pauseTransfer', ['x'.repeat(10_000)]), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'respondToOffer', ['nope', { accept: true }]), ErrorCode.NOT_FOUND);
  assert.equal(await code(alice, 'openReceived', ['nope', 0]), ErrorCode.NOT_FOUND);
  assert.equal(await code(alice, 'openReceived', ['nope', -1]), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'updateSettings', [{ acceptPolicy: 'everyone' }]), ErrorCode.INVALID_ARGUMENT);
  assert.equal(await code(alice, 'updateSettings', [{ deviceName: '' }]), ErrorCode.INVALID_ARGUMENT);
  // Only the native folder picker moves the download folder.
  assert.equal(await code(alice, 'updateSettings', [{ downloadDir: '/tmp/elsewhere' }]), ErrorCode.INVALID_ARGUMENT);
  assert.equal((await alice.ok('updateSettings', { downloadDir: alice.downloadDir })).downloadDir, alice.downloadDir);
  assert.equal(await code(alice, 'trustDevice', ['unknown']), ErrorCode.NOT_FOUND);
  assert.equal(await code(alice, 'addPeer', ['']), ErrorCode.INVALID_ARGUMENT);
});

test('sendPaths takes only paths of files the user dropped', async () => {
  const secret = join(alice.dir, 'secret.txt');
  await writeFile(secret, 'not for bob');
  assert.equal(await code(alice, 'sendPaths', [bobFp, [secret]]), ErrorCode.INVALID_ARGUMENT);
  const other = join(alice.dir, 'dropped.txt');
  await writeFile(other, 'for bob');
  dropped([other]);
  assert.equal(await code(alice, 'sendPaths', [bobFp, [other, secret]]), ErrorCode.INVALID_ARGUMENT, 'one stray path spoils the batch');
  assert.equal(alice.service.grantPath('relative/path'), false);
  assert.equal(alice.service.grantPath(42), false);
  assert.equal(alice.engine.transfers().some((t) => t.files.some((f) => f.path === 'secret.txt')), false);
});

test('engine errors keep their code and message: sending a missing file', async () => {
  const missing = join(alice.dir, 'missing.bin');
  dropped([missing]);
  const r = await alice.service.call('sendPaths', [bobFp, [missing]]);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(([ErrorCode.IO, ErrorCode.NOT_FOUND] as string[]).includes(r.error.code), r.error.code);
  assert.match(r.error.message, /missing\.bin/);
});

test('an offer notifies when unfocused; accepted files arrive; final state follows all progress', async () => {
  bob.platform.focused = false;
  alice.platform.focused = false;
  const src = join(alice.dir, 'src');
  await mkdir(src, { recursive: true });
  const content = Buffer.alloc(3 * 1024 * 1024 + 17, 'ferry');
  await writeFile(join(src, 'report.pdf'), content);
  await writeFile(join(src, 'notes.txt'), 'hello bob');
  const done = await sendAccepted([join(src, 'report.pdf'), join(src, 'notes.txt')]);

  assert.equal(eventsOf(bob, 'offerReceived').length, 1);
  assert.ok(bob.platform.notes.some((n) => n.title.includes('Alice') && n.title.includes('2 files')), JSON.stringify(bob.platform.notes));
  await until(() => bob.platform.notes.some((n) => n.title.startsWith('Received 2 files from Alice')), 'finished note at bob');
  await until(() => alice.platform.notes.some((n) => n.title.startsWith('Sent 2 files to Bob')), 'finished note at alice');

  const report = done.files.find((f) => f.path === 'report.pdf')!;
  assert.deepEqual(await readFile(report.savedPath!), content);

  // Nothing about this transfer's bytes may arrive after its final state.
  const seq = bob.events.filter((e) => (e.payload as { id?: string }).id === done.id).map((e) => e.name);
  const finalAt = seq.lastIndexOf('transferUpserted');
  assert.ok(finalAt > 0);
  assert.equal(seq.slice(finalAt).includes('transferProgress'), false, seq.join(','));
  bob.platform.focused = true;
  alice.platform.focused = true;
});

test('no notifications while the window is focused', async () => {
  const before = bob.platform.notes.length;
  const f = join(alice.dir, 'focused.txt');
  await writeFile(f, 'x');
  await sendAccepted([f]);
  assert.equal(bob.platform.notes.length, before);
});

test('openReceived / showReceivedInFolder: only completed received files inside the download folder', async () => {
  const f = join(alice.dir, 'open-me.txt');
  await writeFile(f, 'open me');
  const t = await sendAccepted([f]);
  await bob.ok('openReceived', t.id, 0);
  await bob.ok('showReceivedInFolder', t.id, 0);
  assert.equal(bob.platform.opened.at(-1), join(bob.downloadDir, 'open-me.txt'));
  assert.equal(bob.platform.shown.at(-1), join(bob.downloadDir, 'open-me.txt'));

  assert.equal(await code(bob, 'openReceived', [t.id, 5]), ErrorCode.NOT_FOUND, 'no such file index');
  assert.equal(await code(alice, 'openReceived', [t.id, 0]), ErrorCode.INVALID_ARGUMENT, 'sender side: not a received file');

  // Outside the download folder (the user picked another one since): refused.
  bob.platform.queueDirectory(join(bob.dir, 'elsewhere'));
  await bob.ok('pickDownloadDir');
  assert.equal(await code(bob, 'openReceived', [t.id, 0]), ErrorCode.INVALID_ARGUMENT);
  bob.platform.queueDirectory(bob.downloadDir);
  await bob.ok('pickDownloadDir');

  // A program a peer sent is never launched, only shown in its folder.
  const prog = join(alice.dir, 'setup.exe');
  await writeFile(prog, 'MZ');
  const pt = await sendAccepted([prog]);
  assert.equal(await code(bob, 'openReceived', [pt.id, 0]), ErrorCode.INVALID_ARGUMENT);
  await bob.ok('showReceivedInFolder', pt.id, 0);
  assert.equal(bob.platform.shown.at(-1), join(bob.downloadDir, 'setup.exe'));

  // Gone from disk: refused.
  await rm(join(bob.downloadDir, 'open-me.txt'));
  assert.equal(await code(bob, 'openReceived', [t.id, 0]), ErrorCode.NOT_FOUND);
  assert.equal(bob.platform.opened.length, 1);
});

test('settings: applied to the engine, saved, announced', async () => {
  const s = await alice.ok('updateSettings', { deviceName: 'Alice Laptop', theme: 'dark', acceptPolicy: 'trusted' });
  assert.equal(s.deviceName, 'Alice Laptop');
  assert.equal(alice.engine.identity.name, 'Alice Laptop');
  const saved = await loadSettings(alice.stateDir);
  assert.equal(saved.deviceName, 'Alice Laptop');
  assert.equal(saved.theme, 'dark');
  assert.equal(saved.acceptPolicy, 'trusted');
  assert.deepEqual(eventsOf(alice, 'settingsChanged').at(-1), s);
});

test('pickers: dismissed gives null, an answer is used', async () => {
  assert.equal(await alice.ok('pickAndSend', bobFp), null);
  assert.equal(alice.platform.filePicks, 1);
  assert.equal(await alice.ok('pickDownloadDir'), null);
  const dir = join(alice.dir, 'picked');
  alice.platform.queueDirectory(dir);
  const s = await alice.ok('pickDownloadDir');
  assert.equal(s?.downloadDir, dir);
  assert.equal((await loadSettings(alice.stateDir)).downloadDir, dir);

  const f = join(alice.dir, 'picked.txt');
  await writeFile(f, 'picked');
  alice.platform.queueFiles([f]);
  const t = await alice.ok('pickAndSend', bobFp);
  assert.equal(t?.files[0].path, 'picked.txt');
  const offer = await until(() => bob.engine.pendingOffers().find((o) => o.transferId === t!.id), 'offer');
  await bob.ok('respondToOffer', offer.transferId, { accept: false });
  await until(() => alice.engine.transfers().find((x) => x.id === t!.id && x.state === 'rejected'), 'rejected at alice');
});

test('pauseAll pauses what is moving', async () => {
  const big = join(alice.dir, 'big.bin');
  await writeFile(big, '');
  await truncate(big, 4 * 1024 ** 3);
  dropped([big]);
  const t = await alice.ok('sendPaths', bobFp, [big]);
  const offer = await until(() => bob.engine.pendingOffers().find((o) => o.transferId === t.id), 'offer');
  await bob.ok('respondToOffer', offer.transferId, { accept: true });
  await until(() => alice.engine.transfers().find((x) => x.id === t.id && x.state === 'transferring'), 'transferring');
  await alice.ok('pauseAll');
  const paused = await until(() => alice.engine.transfers().find((x) => x.id === t.id && x.state === 'paused'), 'paused');
  assert.equal(paused.pausedBy, 'local');
  await alice.ok('cancelTransfer', t.id);
  await until(() => alice.engine.transfers().find((x) => x.id === t.id && x.state === 'cancelled'), 'cancelled');
});
