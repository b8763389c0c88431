// What the kill -9 tests share: a temp root, a random source file, and a byte-counting relay in
// front of the receiver's port (so re-sent bytes are measured on the wire); all removed after.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeRandom } from '../engine/helpers';
import { startByteProxy } from './byte-proxy';
import { freePort, killAll } from './cli-child';

export interface KillArena {
  root: string;
  src: string;
  /** The port the receiver listens on; senders go through proxy.port. */
  recvPort: number;
  proxy: Awaited<ReturnType<typeof startByteProxy>>;
}

export async function killArena(t: { after(fn: () => Promise<void>): void }, name: string, size: number): Promise<KillArena> {
  const root = await tempDir(`ferry-fault-${name}-`);
  const recvPort = await freePort();
  const proxy = await startByteProxy(recvPort);
  t.after(async () => {
    killAll();
    await proxy.close();
    await fs.rm(root, { recursive: true, force: true });
  });
  const src = join(root, 'big.bin');
  await writeRandom(src, size);
  return { root, src, recvPort, proxy };
}
