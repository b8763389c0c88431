// A transfer interrupted by quitting the app comes back after a restart (from the snapshot)
// and can be resumed or retried from the list, finishing with identical bytes.
import { join } from 'node:path';
import { test, expect, dropFiles, listFiles, sha256, transferRows } from './fixtures';

test('an interrupted transfer is listed after a restart and finishes from there', async ({ world }) => {
  const { alice, bob, a } = await world.pair({ acceptPolicy: 'all' });
  const big = await world.sparse('backup.tar', 320 * 1024 * 1024);
  await dropFiles(a, bob, [big]);
  await expect.poll(() => bob.engine.transfers()[0]?.bytesDone ?? 0, { intervals: [50] }).toBeGreaterThan(0);
  await transferRows(a).first().getByRole('button', { name: 'Pause: transfer with Bob' }).click();
  await expect(transferRows(a).first()).toHaveAttribute('data-state', 'paused');

  // Quit Alice's app and start it again on the same state folder.
  await a.context().close();
  await alice.close();
  const again = await world.bridge('Alice');
  const page = await world.open(again);
  const row = transferRows(page).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText('To Bob');
  await expect(row).toContainText('backup.tar');

  const resume = row.getByRole('button', { name: /^(Resume|Retry): transfer with Bob$/ });
  await resume.click();
  await expect(row).toHaveAttribute('data-state', 'completed', { timeout: 120_000 });
  expect(await listFiles(bob.downloadDir)).toEqual(['backup.tar']);
  expect(await sha256(join(bob.downloadDir, 'backup.tar'))).toBe(await sha256(big));
});
