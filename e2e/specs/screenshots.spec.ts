// Screenshots of the main screens for the README, light and dark, from real engines:
// docs/screenshots/{peers,offer,transfers,settings}-{light,dark}.png
import { linkBridges } from '../bridge';
import { test, expect, dropFiles, offerDialog, shot, transferRows } from './fixtures';

test('screenshots of the main screens', async ({ world }) => {
  const alice = await world.bridge('Ada’s Laptop', { settings: { deviceType: 'laptop' } });
  const bob = await world.bridge('Studio PC', { settings: { deviceType: 'desktop' } });
  const nas = await world.bridge('nas', { acceptPolicy: 'all', settings: { deviceType: 'server' } });
  await linkBridges(alice, bob);
  await linkBridges(alice, nas);
  await linkBridges(bob, alice);
  const a = await world.open(alice);
  const b = await world.open(bob);

  await expect(a.locator('[data-peer]')).toHaveCount(2);
  for (const scheme of ['light', 'dark'] as const) {
    await a.emulateMedia({ colorScheme: scheme });
    await shot(a, `peers-${scheme}`);
  }

  // Transfers: one finished, one declined, one big one moving (then paused so it holds still).
  await dropFiles(a, nas, [await world.file('Quarterly report.pdf', Buffer.alloc(2_400_000, 7))]);
  await expect(transferRows(a).first()).toHaveAttribute('data-state', 'completed');
  await dropFiles(a, bob, [await world.file('draft.docx', 'draft')]);
  await offerDialog(b).getByRole('button', { name: 'Decline' }).click();
  await expect(transferRows(a).first()).toHaveAttribute('data-state', 'rejected');
  await dropFiles(a, nas, [await world.sparse('Holiday video.mov', 3 * 1024 ** 3)]);
  const big = transferRows(a).first();
  await expect.poll(() => nas.engine.transfers().find((t) => t.state === 'transferring')?.bytesDone ?? 0, { intervals: [50] }).toBeGreaterThan(0);
  await a.emulateMedia({ colorScheme: 'light' });
  await shot(a, 'transfers-light');
  await big.getByRole('button', { name: /^Pause:/ }).click();
  await expect(big).toHaveAttribute('data-state', 'paused');
  await a.emulateMedia({ colorScheme: 'dark' });
  await shot(a, 'transfers-dark');

  // An offer as the receiver sees it: a new device with two files.
  await dropFiles(a, bob, [await world.file('Poster final.png', Buffer.alloc(5_300_000, 1)), await world.file('Poster notes.txt', 'notes')]);
  await expect(offerDialog(b)).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await b.emulateMedia({ colorScheme: scheme });
    await shot(b, `offer-${scheme}`);
  }
  await offerDialog(b).getByRole('button', { name: 'Decline' }).click();

  await a.getByRole('button', { name: 'Settings' }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await a.emulateMedia({ colorScheme: scheme });
    await shot(a, `settings-${scheme}`);
  }
  await big.page().getByRole('button', { name: 'Back' }).click();
  await transferRows(a).first().getByRole('button', { name: /^Cancel:/ }).click();
});
