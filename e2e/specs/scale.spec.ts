// Big lists stay smooth: an offer of 1,000 files renders only the rows in view, partial
// selection still works at the far end of the list, and the batch arrives complete.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect, dropFiles, listFiles, offerDialog, transferRows } from './fixtures';

const COUNT = 1000;

test('an offer of 1,000 files is virtualised, scrollable and accepted whole', async ({ world }) => {
  const { bob, a, b } = await world.pair();
  const folder = join(world.root, 'src', 'many');
  await mkdir(folder, { recursive: true });
  await Promise.all(Array.from({ length: COUNT }, (_, i) => writeFile(join(folder, `f${String(i).padStart(4, '0')}.txt`), `file ${i}\n`)));
  await dropFiles(a, bob, [folder]);

  const dialog = offerDialog(b);
  await expect(dialog).toContainText(`${COUNT} of ${COUNT} selected`);
  const rendered = await dialog.locator('.vrow').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(40);

  // Scroll to the end: the last file is rendered and can be unticked, then ticked again.
  await dialog.locator('.vlist').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const last = dialog.getByRole('checkbox', { name: 'Receive many/f0999.txt' });
  await last.uncheck();
  await expect(dialog).toContainText(`${COUNT - 1} of ${COUNT} selected`);
  await last.check();
  await dialog.getByRole('button', { name: 'Accept' }).click();

  await expect(transferRows(b).first()).toHaveAttribute('data-state', 'completed', { timeout: 120_000 });
  await expect(transferRows(a).first()).toContainText('Sent');
  expect((await listFiles(bob.downloadDir)).length).toBe(COUNT);
});
