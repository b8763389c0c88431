// Per-test lab and temp folders for the namespace tests, removed when the test ends.
import type { TestContext } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, netnsUnavailable, type Lab } from './netns';

const unavailable = netnsUnavailable();
/** For `test(name, { skip }, ...)`: false, or why namespaces cannot be used here. */
export const skip: string | false = unavailable ? `network namespaces unavailable: ${unavailable}` : false;

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-netns-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function lab(t: TestContext, hosts: number): Promise<Lab> {
  const l = await createLab(hosts);
  t.after(() => l.destroy());
  return l;
}
