// A tiny real TLS peer for tests: presents a Ferry device certificate and says who it is in one
// JSON line. With it, tests exercise a real probe and real fingerprint pinning without the engine.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { ErrorCode, FerryError } from '../../src/shared/errors';
import type { DeviceType } from '../../src/shared/types';
import { fingerprintOfDer, loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import type { ProbeResult } from '../../src/main/engine/discovery';

export interface TlsPeer {
  fingerprint: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startTlsPeer(stateDir: string, name: string, host = '127.0.0.1', deviceType: DeviceType = 'server', port = 0): Promise<TlsPeer> {
  const id = await loadOrCreateIdentity(stateDir);
  const server = createServer({ key: id.keyPem, cert: id.certPem }, (sock) => {
    sock.on('error', () => undefined);
    sock.end(JSON.stringify({ name, deviceType, port: (server.address() as AddressInfo).port, protocolVersion: 1 }) + '\n');
  });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    fingerprint: id.fingerprint,
    port: (server.address() as AddressInfo).port,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function open(host: string, port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    // Self-signed by design: identity is the pinned fingerprint, not a CA chain.
    const sock = connect({ host, port, rejectUnauthorized: false }, () => resolve(sock));
    sock.once('error', reject);
    sock.setTimeout(3000, () => sock.destroy(new Error('timeout')));
  });
}

/** The probe the engine would inject: TLS hello, then what the peer says about itself. */
export async function probe(host: string, port: number): Promise<ProbeResult> {
  const sock = await open(host, port);
  const fingerprint = fingerprintOfDer(sock.getPeerCertificate().raw);
  let text = '';
  for await (const chunk of sock) text += chunk;
  const hello = JSON.parse(text) as Omit<ProbeResult, 'fingerprint'>;
  return { fingerprint, ...hello };
}

/** Connects only if the peer presents the certificate with `fingerprint`; else E_FINGERPRINT_MISMATCH. */
export async function connectPinned(host: string, port: number, fingerprint: string): Promise<string> {
  const sock = await open(host, port);
  const presented = fingerprintOfDer(sock.getPeerCertificate().raw);
  if (presented !== fingerprint) {
    sock.destroy();
    throw new FerryError(ErrorCode.FINGERPRINT_MISMATCH, `peer presented ${presented.slice(0, 12)}, expected ${fingerprint.slice(0, 12)}`);
  }
  let text = '';
  for await (const chunk of sock) text += chunk;
  return (JSON.parse(text) as { name: string }).name;
}
