import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IncomingOffer } from '../../src/shared/types';
import { cleanup, isFinal, startEngine, tempDir, waitTransfer, withPair } from './helpers';

test('addPeer learns a device by address; send by fingerprint and by name then finds it', async () => {
  await withPair(async ({ a, b, src }) => {
    const peer = await a.engine.addPeer(`127.0.0.1:${b.engine.identity.port}`);
    assert.equal(peer.fingerprint, b.engine.identity.fingerprint);
    assert.equal(peer.name, 'bob');
    assert.ok(a.engine.peers().some((p) => p.fingerprint === peer.fingerprint));
    const p = join(src, 'note.txt');
    await fs.writeFile(p, 'by fingerprint');
    const one = await a.engine.send({ to: { fingerprint: peer.fingerprint }, paths: [p] });
    assert.equal((await waitTransfer(b.engine, isFinal('in', one.id))).state, 'completed');
    const two = await a.engine.send({ to: { name: 'bob' }, paths: [p] });
    assert.equal((await waitTransfer(b.engine, isFinal('in', two.id))).state, 'completed');
    assert.ok(b.engine.devices().some((d) => d.fingerprint === a.engine.identity.fingerprint && d.name === 'alice'));
    assert.ok(a.engine.devices().some((d) => d.fingerprint === b.engine.identity.fingerprint && d.name === 'bob'));
    await assert.rejects(a.engine.send({ to: { name: 'nobody' }, paths: [p] }), (e: { code?: string }) => e.code === 'E_NOT_FOUND');
  });
});

test("policy 'trusted': trusted senders go straight through, others are asked", async () => {
  const a = await startEngine('alice');
  const c = await startEngine('carol');
  const b = await startEngine('bob', { acceptPolicy: 'trusted' });
  const src = await tempDir('ferry-src-');
  try {
    const p = join(src, 'x.txt');
    await fs.writeFile(p, 'x');
    const asked: IncomingOffer[] = [];
    b.engine.on('offerReceived', (o) => asked.push(o));
    // First contact: alice is unknown, so bob is asked; he accepts and trusts her.
    const first = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await waitTransfer(b.engine, (t) => t.id === first.id && t.state === 'awaiting-accept');
    assert.equal(asked.length, 1);
    b.engine.respond(first.id, { accept: true, trust: true });
    assert.equal((await waitTransfer(b.engine, isFinal('in', first.id))).state, 'completed');
    asked.length = 0;
    const fromAlice = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    assert.equal((await waitTransfer(b.engine, isFinal('in', fromAlice.id))).state, 'completed');
    assert.equal(asked.length, 0, 'a trusted sender is not asked');
    const fromCarol = await c.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await waitTransfer(b.engine, (t) => t.id === fromCarol.id && t.state === 'awaiting-accept');
    assert.equal(asked.length, 1);
    assert.equal(asked[0].newDevice, true);
    b.engine.respond(fromCarol.id, { accept: true });
    assert.equal((await waitTransfer(b.engine, isFinal('in', fromCarol.id))).state, 'completed');
  } finally {
    await cleanup(a, b, c);
    await fs.rm(src, { recursive: true, force: true });
  }
});

test('IPv6: a dual-stack receiver is reached at [::1]', async (t) => {
  const b = await startEngine('bob', { host: undefined });
  const a = await startEngine('alice');
  try {
    const addr = (b.engine as unknown as { server: { https: { address(): { address: string } } } }).server.https.address().address;
    if (addr !== '::') return t.skip(`no IPv6 here (bound ${addr})`);
    const p = join(a.stateDir, 'v6.txt');
    await fs.writeFile(p, 'over IPv6');
    const sent = await a.engine.send({ to: { host: '::1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths: [p] });
    const inc = await waitTransfer(b.engine, isFinal('in', sent.id));
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.equal(await fs.readFile(inc.files[0].savedPath!, 'utf8'), 'over IPv6');
  } finally {
    await cleanup(a, b);
  }
});

test('an offer is from a new device until that device has sent files; being seen or probed does not count', async () => {
  const a = await startEngine('alice');
  const b = await startEngine('bob', { acceptPolicy: 'ask' });
  const src = await tempDir('ferry-src-');
  try {
    const p = join(src, 'x.txt');
    await fs.writeFile(p, 'x');
    // Both sides meet first: bob probes alice, alice probes bob (as add-by-address does).
    await b.engine.addPeer(`127.0.0.1:${a.engine.identity.port}`);
    await a.engine.addPeer(`127.0.0.1:${b.engine.identity.port}`);
    const asked: IncomingOffer[] = [];
    b.engine.on('offerReceived', (o) => asked.push(o));
    const first = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await waitTransfer(b.engine, (t) => t.id === first.id && t.state === 'awaiting-accept');
    assert.equal(asked[0].newDevice, true, 'met, but never sent anything');
    assert.match(first.pairingCode, /^\d{6}$/);
    assert.equal(first.pairingCode, asked[0].pairingCode, 'the sender sees the code the receiver is asked to compare');
    b.engine.respond(first.id, { accept: true });
    assert.equal((await waitTransfer(b.engine, isFinal('in', first.id))).state, 'completed');
    const second = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port }, paths: [p] });
    await waitTransfer(b.engine, (t) => t.id === second.id && t.state === 'awaiting-accept');
    assert.equal(asked[1].newDevice, false, 'has sent files before');
    b.engine.respond(second.id, { accept: false });
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
  }
});
