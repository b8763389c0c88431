// Peers added by address, probed over real TLS on loopback, remembered in a real state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiscoveryHint } from '../../src/shared/api';
import type { Peer } from '../../src/shared/types';
import { Discovery, type DiscoveryConfig } from '../../src/main/engine/discovery';
import { MANUAL_PEERS_FILE } from '../../src/main/engine/discovery/manual-peers';
import { fingerprint, freeUdpPort, loopbackMulticast, tempDir, waitFor } from './helpers';
import { probe, startTlsPeer } from './tls-peer';

function discovery(stateDir: string, extra: Partial<DiscoveryConfig> = {}) {
  return new Discovery({
    identity: { fingerprint: fingerprint(1), name: 'me', deviceType: 'laptop', port: 1 },
    stateDir,
    probe,
    multicast: false,
    timing: { manualCheckMs: 200 },
    ...extra,
  });
}

test('a peer added by address is probed, remembered across restarts, checked, and removed', { timeout: 20_000 }, async (t) => {
  const stateDir = await tempDir(t);
  const peer = await startTlsPeer(await tempDir(t), 'Basement server');
  t.after(() => peer.close());

  const d1 = discovery(stateDir);
  await d1.start();
  const added = await d1.addManual(`127.0.0.1:${peer.port}`);
  assert.equal(added.fingerprint, peer.fingerprint);
  assert.equal(added.name, 'Basement server');
  assert.equal(added.deviceType, 'server');
  assert.equal(added.source, 'manual');
  assert.equal(added.online, true);
  assert.equal(added.address, '127.0.0.1');
  assert.equal(added.port, peer.port);
  await d1.stop();
  const saved = JSON.parse(await readFile(join(stateDir, MANUAL_PEERS_FILE), 'utf8'));
  assert.equal(saved.length, 1);
  assert.equal(saved[0].info.fingerprint, peer.fingerprint);

  // After a restart it is listed at once (offline until checked), then online.
  const d2 = discovery(stateDir);
  t.after(() => d2.stop());
  const online = waitFor<Peer>(d2, 'peerUpserted', (p) => p.fingerprint === peer.fingerprint && p.online, 5000);
  await d2.start();
  await online;

  const offline = waitFor<Peer>(d2, 'peerUpserted', (p) => p.fingerprint === peer.fingerprint && !p.online, 5000);
  await peer.close();
  await offline;
  assert.equal(d2.peers().length, 1, 'an unreachable manual peer stays listed, offline');

  const removed = waitFor<string>(d2, 'peerRemoved', (fp) => fp === peer.fingerprint, 1000);
  await d2.removeManual(peer.fingerprint);
  await removed;
  assert.deepEqual(JSON.parse(await readFile(join(stateDir, MANUAL_PEERS_FILE), 'utf8')), []);
  await assert.rejects(d2.removeManual(peer.fingerprint), { code: 'E_NOT_FOUND' });
});

test('when another device answers at a manual address, it is shown as itself', { timeout: 20_000 }, async (t) => {
  const d = discovery(await tempDir(t));
  t.after(() => d.stop());
  await d.start();
  const first = await startTlsPeer(await tempDir(t), 'Old box');
  await d.addManual(`127.0.0.1:${first.port}`);
  await first.close();
  const gone = waitFor<string>(d, 'peerRemoved', (fp) => fp === first.fingerprint, 5000);
  const swapped = await startTlsPeer(await tempDir(t), 'New box', '127.0.0.1', 'desktop', first.port);
  t.after(() => swapped.close());
  const appeared = await waitFor<Peer>(d, 'peerUpserted', (p) => p.fingerprint === swapped.fingerprint && p.online, 5000);
  await gone;
  assert.equal(appeared.name, 'New box');
  assert.deepEqual(d.peers().map((p) => p.fingerprint), [swapped.fingerprint]);
});

test('bad or unreachable addresses are refused with a code', { timeout: 20_000 }, async (t) => {
  const d = discovery(await tempDir(t), { timing: { manualCheckMs: 10_000 } });
  t.after(() => d.stop());
  await d.start();
  await assert.rejects(d.addManual('no such:host'), { code: 'E_INVALID_ARGUMENT' });
  await assert.rejects(d.addManual('127.0.0.1:70000'), { code: 'E_INVALID_ARGUMENT' });
  const closed = await freeUdpPort(); // nothing listens on this TCP port either, most likely
  await assert.rejects(d.addManual(`127.0.0.1:${closed}`), { code: 'E_UNREACHABLE' });
  assert.equal(d.peers().length, 0);
});

test('adding this device itself is refused', { timeout: 20_000 }, async (t) => {
  const peerState = await tempDir(t);
  const me = await startTlsPeer(peerState, 'me');
  t.after(() => me.close());
  const d = new Discovery({ identity: { fingerprint: me.fingerprint, name: 'me', deviceType: 'laptop', port: me.port }, stateDir: await tempDir(t), probe, multicast: false });
  t.after(() => d.stop());
  await d.start();
  await assert.rejects(d.addManual(`127.0.0.1:${me.port}`), { code: 'E_INVALID_ARGUMENT' });
});

test('finding nobody raises the hint; a peer clears it', { timeout: 20_000 }, async (t) => {
  const why = await loopbackMulticast();
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const port = await freeUdpPort();
  const d = discovery(await tempDir(t), { multicast: true, port, interfaces: ['lo'], timing: { hintAfterMs: 300 } });
  t.after(() => d.stop());
  const raised = waitFor<DiscoveryHint | null>(d, 'hint', (h) => h !== null, 5000);
  await d.start();
  assert.deepEqual(await raised, { port, interfaces: ['lo'] });
  assert.deepEqual(d.hint(), { port, interfaces: ['lo'] });

  const peer = await startTlsPeer(await tempDir(t), 'reachable');
  t.after(() => peer.close());
  const cleared = waitFor<DiscoveryHint | null>(d, 'hint', (h) => h === null, 5000);
  await d.addManual(`127.0.0.1:${peer.port}`);
  await cleared;
  assert.equal(d.hint(), null);
});
