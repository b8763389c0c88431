// A fresh folder under the OS temp dir, removed when the test ends.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'ferry-test-'): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), prefix));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}
