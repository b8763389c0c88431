// Identity: a receiver with another certificate than the pinned one gets no file byte; a sender
// that is not trusted gets nothing accepted under the 'trusted' policy, whatever name it uses.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import { WS_SUBPROTOCOL } from '../../src/shared/protocol';
import { isFinal, waitTransfer } from '../engine/helpers';
import { hostileIdentity, HostileClient, offerMessage } from '../support/hostile-client';
import { openArena } from './arena';

test('identity: a receiver presenting another certificate is refused before any file byte leaves', async () => {
  const a = await openArena();
  const fake = await hostileIdentity(join(a.good.stateDir, 'fake-receiver'));
  let rawBytes = 0;
  const chunks: Buffer[] = [];
  let wsMessages = 0;
  const https = createServer({ key: fake.keyPem, cert: fake.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  https.on('secureConnection', (s: TLSSocket) =>
    s.on('data', (d: Buffer) => {
      rawBytes += d.length;
      chunks.push(d);
    }),
  );
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => WS_SUBPROTOCOL });
  https.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', () => wsMessages++)));
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  try {
    const marker = Buffer.from('FERRY-SECRET-CONTENT-'.repeat(5000));
    const p = join(a.good.stateDir, 'secret.bin');
    await fs.writeFile(p, marker);
    const port = (https.address() as { port: number }).port;
    // Pinned to the real receiver's fingerprint, but the fake answers at this address.
    const sent = await a.good.engine
      .send({ to: { host: '127.0.0.1', port, fingerprint: a.recv.engine.identity.fingerprint }, paths: [p] })
      .catch((err: { code: string }) => ({ id: '', error: err }));
    const final = sent.id ? await waitTransfer(a.good.engine, isFinal('out', sent.id), 30_000) : sent;
    assert.equal(final.error?.code, 'E_FINGERPRINT_MISMATCH');
    assert.equal(wsMessages, 0, 'the fake receiver got ws messages');
    assert.equal(Buffer.concat(chunks).includes('FERRY-SECRET'), false, 'file bytes reached the fake receiver');
    assert.ok(rawBytes < 4096, `the fake receiver got ${rawBytes} bytes (only the upgrade request is allowed)`);
    await a.goodTransfer(); // the real one still works
  } finally {
    https.closeAllConnections();
    await new Promise((r) => https.close(r));
    await a.close();
  }
});

test('identity: under policy trusted, a sender using a trusted device name is still asked, never auto-accepted', async () => {
  const a = await openArena();
  try {
    await a.goodTransfer(); // the good sender is now a known device
    a.recv.engine.trust(a.good.engine.identity.fingerprint);
    for (let i = 0; i < 50 && !a.recv.engine.devices().find((d) => d.trusted); i++) await new Promise((r) => setTimeout(r, 50));
    a.recv.engine.setAcceptPolicy('trusted');
    const before = await a.snapshot();
    const offers: { name: string; fingerprintChanged: boolean }[] = [];
    a.recv.engine.on('offerReceived', (o) => offers.push({ name: o.peer.name, fingerprintChanged: o.fingerprintChanged }));
    const c = await HostileClient.connect({ port: a.port, identity: a.hostile });
    await c.hello({ name: 'good-sender', deviceType: 'desktop' });
    c.sendJson(offerMessage([{ path: 'impostor.bin', size: 10 }]));
    const answer = await c.waitFor((m) => 't' in m && m.t !== 'welcome', 2_000);
    assert.equal(answer, null, `the impostor got an answer: ${JSON.stringify(answer)}`);
    assert.deepEqual(offers, [{ name: 'good-sender', fingerprintChanged: true }]);
    await c.end();
    await a.goodTransfer();
    assert.equal(offers.length, 1, 'the real trusted device was asked about instead of accepted at once');
    await a.assertClean(before);
  } finally {
    await a.close();
  }
});
