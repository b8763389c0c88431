// Screenshots of the main screens for the README, light and dark, from real engines:
// docs/screenshots/{peers,offer,transfers,settings}-{light,dark}.png and transfers-zh-CN-light.png.
// Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei).
import { linkBridges } from '../bridge';
import type { TestBridge } from './fixtures';
import { test, expect, dropFiles, offerDialog, shot, transferRows } from './fixtures';

const SCHEMES = ['light', 'dark'] as const;
const moving = (b: TestBridge, name: string): number =>
  b.engine.transfers().find((t) => t.files[0]?.path === name && t.state === 'transferring')?.bytesDone ?? 0;

test('screenshots of the main screens', async ({ world }) => {
  const alice = await world.bridge('Ada’s Laptop', { settings: { deviceType: 'laptop' } });
  const bob = await world.bridge('Studio PC', { settings: { deviceType: 'desktop' } });
  const nas = await world.bridge('nas', { acceptPolicy: 'all', settings: { deviceType: 'server' } });
  await linkBridges(alice, bob);
  await linkBridges(alice, nas);
  await linkBridges(bob, alice); // so Bob's window behind the offer is not empty
  const a = await world.open(alice);
  const b = await world.open(bob);

  await expect(a.locator('[data-peer]')).toHaveCount(2);
  for (const scheme of SCHEMES) {
    await a.emulateMedia({ colorScheme: scheme });
    await shot(a, `peers-${scheme}`);
  }

  // A finished transfer for the list.
  await dropFiles(a, nas, [await world.file('Quarterly report.pdf', Buffer.alloc(2_400_000, 7))]);
  await expect(transferRows(a).first()).toHaveAttribute('data-state', 'completed');

  // An offer as the receiver sees it: a new device with two files. Declined afterwards.
  await dropFiles(a, bob, [await world.file('Poster final.png', Buffer.alloc(5_300_000, 1)), await world.file('Poster notes.txt', 'notes')]);
  await expect(offerDialog(b)).toBeVisible();
  for (const scheme of SCHEMES) {
    await b.emulateMedia({ colorScheme: scheme });
    await shot(b, `offer-${scheme}`);
  }
  await offerDialog(b).getByRole('button', { name: 'Decline' }).click();
  await expect(transferRows(a).first()).toHaveAttribute('data-state', 'rejected');

  // One transfer paused part-way, one still moving.
  await dropFiles(a, nas, [await world.sparse('Photos 2026.zip', 600 * 1024 ** 2)]);
  await expect.poll(() => moving(nas, 'Photos 2026.zip'), { timeout: 120_000, intervals: [50] }).toBeGreaterThan(180 * 1024 ** 2);
  await transferRows(a).first().getByRole('button', { name: /^Pause:/ }).click();
  await expect(transferRows(a).first()).toHaveAttribute('data-state', 'paused');
  await dropFiles(a, nas, [await world.sparse('Holiday video.mov', 8 * 1024 ** 3)]);
  await expect.poll(() => moving(nas, 'Holiday video.mov'), { intervals: [50] }).toBeGreaterThan(0);
  for (const scheme of SCHEMES) {
    await a.emulateMedia({ colorScheme: scheme });
    await shot(a, `transfers-${scheme}`);
  }

  // Settings scroll inside the window: a taller window shows all of them.
  await a.setViewportSize({ width: 1180, height: 1080 });
  await a.getByRole('button', { name: 'Settings' }).click();
  for (const scheme of SCHEMES) {
    await a.emulateMedia({ colorScheme: scheme });
    await shot(a, `settings-${scheme}`);
  }

  // The same home screen in Simplified Chinese.
  await a.setViewportSize({ width: 1180, height: 760 });
  await a.emulateMedia({ colorScheme: 'light' });
  await a.getByRole('radio', { name: '简体中文' }).check();
  await a.getByRole('button', { name: '返回' }).click();
  await expect(a.getByRole('heading', { name: '附近的设备' })).toBeVisible();
  await shot(a, 'transfers-zh-CN-light');
});
