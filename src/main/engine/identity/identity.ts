// This device's identity: an ECDSA P-256 key and a self-signed certificate. Peers pin the
// certificate's fingerprint, so it must survive restarts and never change behind the user's back.
import { createHash, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { makeDirs } from '../util/make-dirs';
import { installReflectMetadata } from './reflect-shim';

export interface DeviceIdentity {
  keyPem: string;
  certPem: string;
  /** Lowercase hex SHA-256 of the certificate (DER). */
  fingerprint: string;
}

const FILE = 'identity.pem';
const VALID_YEARS = 50;

export function fingerprintOfDer(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Loads stateDir/identity/identity.pem (key + cert, mode 0600), creating it on first run. */
export async function loadOrCreateIdentity(stateDir: string): Promise<DeviceIdentity> {
  const dir = join(stateDir, 'identity');
  const file = join(dir, FILE);
  const existing = await readIdentity(file);
  if (existing) return existing;
  await makeDirs(dir, 0o700);
  const fresh = await createIdentity();
  return (await publish(file, fresh)) ?? fresh;
}

async function readIdentity(file: string): Promise<DeviceIdentity | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new FerryError(ErrorCode.IO, `Cannot read the device identity ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = parseIdentity(text);
  if (parsed) return parsed;
  // Unreadable identity: keep it for inspection and start over rather than refuse to run.
  await fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
  return null;
}

function parseIdentity(text: string): DeviceIdentity | null {
  const keyPem = text.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\s*/)?.[0];
  const certPem = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*/)?.[0];
  if (!keyPem || !certPem) return null;
  try {
    const cert = new X509Certificate(certPem);
    return { keyPem, certPem, fingerprint: fingerprintOfDer(cert.raw) };
  } catch {
    return null;
  }
}

/**
 * Writes a temp file and hard-links it into place, which fails if another process got there
 * first: two concurrent first starts agree on one identity. Returns the winner's identity when
 * we lost, null when ours is in place.
 */
async function publish(file: string, id: DeviceIdentity): Promise<DeviceIdentity | null> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(id.keyPem + id.certPem);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(tmp, file);
    return null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      // No hard links on this file system: fall back to rename (last writer wins).
      await fs.rename(tmp, file);
      return null;
    }
    return readIdentity(file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function createIdentity(): Promise<DeviceIdentity> {
  installReflectMetadata();
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive INTEGER
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: 'CN=Ferry device',
    notBefore: new Date(now - 24 * 3600_000), // tolerate a peer whose clock is behind
    notAfter: new Date(now + VALID_YEARS * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  const certPem = cert.toString('pem').trim() + '\n';
  return { keyPem, certPem, fingerprint: fingerprintOfDer(Buffer.from(cert.rawData)) };
}
