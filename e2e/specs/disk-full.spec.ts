// A receiver whose disk cannot hold the batch: both sides say so in words, nothing is left behind.
// Uses a 1 MiB tmpfs as the download folder (needs root to mount; skipped otherwise).
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect, dropFiles, listFiles, offerDialog, transferRows } from './fixtures';

function mountTiny(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a full disk on the receiving side is reported as such', async ({ world }) => {
  const tiny = join(world.root, 'tiny');
  await mkdir(tiny, { recursive: true });
  test.skip(!mountTiny(tiny), 'cannot mount a tmpfs here (needs root): full-disk case not testable');
  try {
    const { bob, a, b } = await world.pair({ downloadDir: tiny });
    await dropFiles(a, bob, [await world.file('big.bin', Buffer.alloc(4 * 1024 * 1024, 3))]);
    // Either the receiver refuses at once, or it asks and then fails: accept if asked.
    const dialog = offerDialog(b);
    const row = transferRows(a).first();
    const ended = a.locator('[data-transfer][data-state="rejected"], [data-transfer][data-state="failed"]');
    const first = async (): Promise<string> => ((await dialog.isVisible()) ? 'asked' : (await ended.count()) ? 'ended' : '');
    await expect.poll(first).not.toBe('');
    if ((await first()) === 'asked') await dialog.getByRole('button', { name: 'Accept' }).click();
    await expect(row.getByTestId('state-text')).toContainText('Not enough free disk space');
    await expect(transferRows(b).first().getByTestId('state-text')).toContainText('Not enough free disk space');
    expect(await listFiles(tiny)).toEqual([]);
  } finally {
    await world.closeBridges();
    execFileSync('umount', [tiny]);
  }
});
