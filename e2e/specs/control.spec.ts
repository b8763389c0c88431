// Controlling a live transfer from the UI: pause really stops the bytes, resume finishes it
// intact; cancel ends it on both sides and leaves no partial file behind.
import { join } from 'node:path';
import type { TestBridge, World } from './fixtures';
import { test, expect, dropFiles, listFiles, sha256, transferRows } from './fixtures';

/** Big enough that loopback cannot finish it before a click lands; sparse, so cheap to create. */
const BIG = 640 * 1024 * 1024;

const bytesOf = (b: TestBridge): number => b.engine.transfers()[0]?.bytesDone ?? 0;

async function startBig(world: World) {
  const { alice, bob, a, b } = await world.pair({ acceptPolicy: 'all' });
  const big = await world.sparse('disk-image.iso', BIG);
  await dropFiles(a, bob, [big]);
  await expect.poll(() => bytesOf(bob), { timeout: 60_000, intervals: [50] }).toBeGreaterThan(0);
  return { alice, bob, a, b, big };
}

test('pause stops the byte count on both sides; resume completes with identical bytes', async ({ world }) => {
  const { alice, bob, a, b, big } = await startBig(world);
  const row = transferRows(a).first();
  await row.getByRole('button', { name: 'Pause: transfer with Bob' }).click();
  await expect(row).toHaveAttribute('data-state', 'paused');
  await expect(row.getByTestId('state-text')).toHaveText('Paused');
  await expect(transferRows(b).first()).toHaveAttribute('data-state', 'paused');

  // Let in-flight data settle, then the counts must stand still.
  await a.waitForTimeout(1000);
  const sent = bytesOf(alice);
  const got = bytesOf(bob);
  await a.waitForTimeout(2000);
  expect(bytesOf(alice)).toBe(sent);
  expect(bytesOf(bob)).toBe(got);
  expect(got).toBeLessThan(BIG);

  await row.getByRole('button', { name: 'Resume: transfer with Bob' }).click();
  await expect(row).toHaveAttribute('data-state', 'completed', { timeout: 120_000 });
  await expect(transferRows(b).first()).toHaveAttribute('data-state', 'completed');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  expect(await listFiles(bob.downloadDir)).toEqual(['disk-image.iso']);
  expect(await sha256(join(bob.downloadDir, 'disk-image.iso'))).toBe(await sha256(big));
});

test('cancel ends the transfer on both sides and removes the partial file', async ({ world }) => {
  const { bob, a, b } = await startBig(world);
  const row = transferRows(a).first();
  await row.getByRole('button', { name: 'Cancel: transfer with Bob' }).click();
  await expect(row).toHaveAttribute('data-state', 'cancelled');
  await expect(row.getByTestId('state-text')).toHaveText('Cancelled');
  await expect(transferRows(b).first()).toHaveAttribute('data-state', 'cancelled');
  await expect.poll(() => listFiles(bob.downloadDir)).toEqual([]);

  // A cancelled outgoing transfer can be retried; "Clear finished" then tidies the list.
  await expect(row.getByRole('button', { name: 'Retry: transfer with Bob' })).toBeVisible();
  await a.getByRole('button', { name: 'Clear finished' }).click();
  await expect(transferRows(a)).toHaveCount(0);
});

test('the peer vanishing mid-transfer shows that Ferry is reconnecting', async ({ world }) => {
  const { bob, a } = await startBig(world);
  await bob.close();
  const row = transferRows(a).first();
  // The sender keeps trying for a while (reconnect window) and says so.
  await expect(row).toHaveAttribute('data-state', 'reconnecting');
  await expect(row.getByTestId('state-text')).toHaveText('Bob dropped off the network. Reconnecting…');
  await row.getByRole('button', { name: 'Cancel: transfer with Bob' }).click();
  await expect(row).toHaveAttribute('data-state', 'cancelled');
});
