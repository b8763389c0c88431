// Per-test lab and temp folders for the namespace tests, removed when the test ends.
import type { TestContext } from 'node:test';
import { tempDir as sharedTempDir } from '../util/tmp-dir';
import { createLab, netnsUnavailable, type Lab } from './netns';

const unavailable = netnsUnavailable();
/** For `test(name, { skip }, ...)`: false, or why namespaces cannot be used here. */
export const skip: string | false = unavailable ? `network namespaces unavailable: ${unavailable}` : false;

export const tempDir = (t: TestContext): Promise<string> => sharedTempDir(t, 'ferry-netns-');

export async function lab(t: TestContext, hosts: number): Promise<Lab> {
  const l = await createLab(hosts);
  t.after(() => l.destroy());
  return l;
}
