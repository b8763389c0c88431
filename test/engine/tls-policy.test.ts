import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import { silentLogger } from '../../src/main/engine/log';
import type { Connection } from '../../src/main/engine/transport/connection';
import { dial } from '../../src/main/engine/transport/tls-client';
import { rawServer, tempDir } from './helpers';

const tlsOf = (conn: Connection) => (conn.ws as unknown as { _socket: TLSSocket })._socket;

// Two Ferry ends settle on TLS 1.3 with AES-128-GCM, the cheapest AEAD measured here (tls-policy.ts).
test('two Ferry ends speak TLS 1.3 with AES-128-GCM', async () => {
  const dir = await tempDir('ferry-tls-');
  const [srv, cli] = await Promise.all([loadOrCreateIdentity(join(dir, 's')), loadOrCreateIdentity(join(dir, 'c'))]);
  const seen: string[] = [];
  const server = rawServer(srv, (conn) => seen.push(`${tlsOf(conn).getProtocol()} ${tlsOf(conn).getCipher().standardName}`));
  try {
    const port = await server.listen('127.0.0.1', 0);
    const { conn } = await dial({ host: '127.0.0.1', port, ...cli, expectFingerprint: srv.fingerprint, local: { name: 'c', deviceType: 'laptop', port: 0 }, logger: silentLogger });
    assert.equal(`${tlsOf(conn).getProtocol()} ${tlsOf(conn).getCipher().standardName}`, 'TLSv1.3 TLS_AES_128_GCM_SHA256');
    assert.deepEqual(seen, ['TLSv1.3 TLS_AES_128_GCM_SHA256']);
    conn.close();
  } finally {
    await server.close();
  }
});
