import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp-dir';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { fingerprintOfDer, loadOrCreateIdentity } from '../../src/main/engine/identity/identity';


test('identity is created once, persisted with mode 0600, and loaded again', async (t) => {
  const dir = await tempDir(t);
  const a = await loadOrCreateIdentity(dir);
  assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
  assert.match(a.keyPem, /BEGIN PRIVATE KEY/);
  assert.match(a.certPem, /BEGIN CERTIFICATE/);
  const b = await loadOrCreateIdentity(dir);
  assert.deepEqual(b, a);
  const files = await fs.readdir(join(dir, 'identity'));
  assert.deepEqual(files, ['identity.pem']);
  if (process.platform !== 'win32') {
    const st = await fs.stat(join(dir, 'identity', 'identity.pem'));
    assert.equal(st.mode & 0o777, 0o600);
  }
});

test('concurrent first starts agree on one identity', async (t) => {
  const dir = await tempDir(t);
  const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateIdentity(dir)));
  for (const id of all) assert.equal(id.fingerprint, all[0].fingerprint);
  assert.equal((await loadOrCreateIdentity(dir)).fingerprint, all[0].fingerprint);
  assert.deepEqual(await fs.readdir(join(dir, 'identity')), ['identity.pem']);
});

test('a corrupt identity file is kept aside and replaced', async (t) => {
  const dir = await tempDir(t);
  await fs.mkdir(join(dir, 'identity'));
  await fs.writeFile(join(dir, 'identity', 'identity.pem'), 'garbage');
  const id = await loadOrCreateIdentity(dir);
  assert.match(id.fingerprint, /^[0-9a-f]{64}$/);
  const files = await fs.readdir(join(dir, 'identity'));
  assert.equal(files.length, 2);
  assert.ok(files.some((f) => f.startsWith('identity.pem.corrupt-')));
});

test('the certificate works for mutual TLS and the peer sees the same fingerprint', async (t) => {
  const [server, client] = await Promise.all([loadOrCreateIdentity(await tempDir(t)), loadOrCreateIdentity(await tempDir(t))]);
  assert.notEqual(server.fingerprint, client.fingerprint);
  let seenByServer = '';
  const srv = tls.createServer(
    { key: server.keyPem, cert: server.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' },
    (sock) => {
      seenByServer = fingerprintOfDer(sock.getPeerCertificate().raw);
      sock.end('hello');
    },
  );
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => srv.close(() => r())));
  const port = (srv.address() as AddressInfo).port;
  const { seenByClient, data } = await new Promise<{ seenByClient: string; data: string }>((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, key: client.keyPem, cert: client.certPem, rejectUnauthorized: false }, () => {
      const fp = fingerprintOfDer(sock.getPeerCertificate().raw);
      let buf = '';
      sock.on('data', (d) => (buf += d));
      sock.on('end', () => resolve({ seenByClient: fp, data: buf }));
    });
    sock.on('error', reject);
  });
  assert.equal(data, 'hello');
  assert.equal(seenByClient, server.fingerprint);
  assert.equal(seenByServer, client.fingerprint);
});
