// The certificate and key of the raw-ws references, made like an install's identity (its kind of
// certificate) and written to files for https.createServer. The identity is made by the first call
// for a scratch folder and loaded by the next.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';

export async function tlsFiles(scratch: string): Promise<{ cert: string; key: string }> {
  const id = await loadOrCreateIdentity(join(scratch, 'ws-identity'));
  const tls = { cert: join(scratch, 'ws-cert.pem'), key: join(scratch, 'ws-key.pem') };
  await writeFile(tls.cert, id.certPem);
  await writeFile(tls.key, id.keyPem, { mode: 0o600 });
  return tls;
}
