// The main flow: drop two files on the peer card, the other side sees who and what and accepts
// from its own window, both reach 100%, and the received bytes equal the sent ones.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test, expect, dropFiles, listFiles, offerDialog, peerCard, sha256, transferRows } from './fixtures';

test('drop two files on a peer, accept on the other side, files arrive identical', async ({ world }) => {
  const { alice, bob, a, b } = await world.pair();

  const one = await world.file('report.pdf', randomBytes(3 * 1024 * 1024 + 17));
  const two = await world.file('notes.txt', 'Meet at the ferry at nine.\n'.repeat(1000));
  await dropFiles(a, bob, [one, two]);

  // Bob's window asks, names the sender, flags it as new, and lists both files.
  const dialog = offerDialog(b);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Alice wants to send you files');
  await expect(dialog.getByTestId('offer-new-device')).toBeVisible();
  await expect(dialog.getByTestId('pairing-code')).toHaveText(/\S+/);
  await expect(dialog.getByRole('checkbox', { name: 'Receive report.pdf' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'Receive notes.txt' })).toBeChecked();
  // Sender and receiver compare the same pairing code.
  const code = (await dialog.getByTestId('pairing-code').textContent())?.replace(/\s/g, '');
  expect(code).toBe(alice.engine.pairingCode(bob.fingerprint).replace(/\s/g, ''));
  const senderCode = transferRows(a).first().getByTestId('sender-pairing-code');
  await expect(senderCode).toHaveText(`${code?.slice(0, 3)} ${code?.slice(3)}`);
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await expect(dialog).toHaveCount(0);

  for (const page of [a, b]) {
    const row = transferRows(page).first();
    await expect(row).toHaveAttribute('data-state', 'completed');
    await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  }
  await expect(transferRows(a).first()).toContainText('Sent');
  await expect(transferRows(b).first()).toContainText('Received');

  expect(await listFiles(bob.downloadDir)).toEqual(['notes.txt', 'report.pdf']);
  expect(await sha256(join(bob.downloadDir, 'report.pdf'))).toBe(await sha256(one));
  expect(await sha256(join(bob.downloadDir, 'notes.txt'))).toBe(await sha256(two));

  // Received files can be opened and shown from the list (through the platform, recorded here).
  const row = transferRows(b).first();
  await row.getByRole('button', { name: 'Show files' }).click();
  await row.getByRole('button', { name: 'Open: report.pdf' }).click();
  await row.getByRole('button', { name: 'Show in folder: notes.txt' }).click();
  await expect.poll(() => bob.platform.opened).toEqual([join(bob.downloadDir, 'report.pdf')]);
  await expect.poll(() => bob.platform.shown).toEqual([join(bob.downloadDir, 'notes.txt')]);

  // The card opens the file picker (answered from the test's queue) by keyboard as by click.
  alice.platform.queueFiles([two]);
  await peerCard(a, bob).getByRole('button', { name: /Send files to Bob/ }).focus();
  await a.keyboard.press('Enter');
  await expect(transferRows(a)).toHaveCount(2);
  expect(alice.platform.filePicks).toBe(1);
});

test('decline: Esc in the offer dialog declines, and the sender reads "Declined"', async ({ world }) => {
  const { bob, a, b } = await world.pair();
  const file = await world.file('secret.txt', 'not for you');
  await dropFiles(a, bob, [file]);

  const dialog = offerDialog(b);
  await expect(dialog).toBeVisible();
  // Focus is inside the dialog (trapped); Esc means decline.
  await expect(dialog.getByRole('button', { name: 'Accept' })).toBeFocused();
  await b.keyboard.press('Tab');
  await b.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await b.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  const row = transferRows(a).first();
  await expect(row).toHaveAttribute('data-state', 'rejected');
  await expect(row.getByTestId('state-text')).toHaveText('Declined by Bob');
  expect(await listFiles(bob.downloadDir)).toEqual([]);
});

test('partial accept receives only the ticked files, and "always accept" trusts the sender', async ({ world }) => {
  const { alice, bob, a, b } = await world.pair();
  const keep = await world.file('keep.txt', 'keep me');
  const skip = await world.file('skip.txt', 'skip me');
  await dropFiles(a, bob, [keep, skip]);

  const dialog = offerDialog(b);
  await dialog.getByRole('checkbox', { name: 'Receive skip.txt' }).uncheck();
  await expect(dialog).toContainText('1 of 2 selected');
  await dialog.getByRole('checkbox', { name: 'Always accept from this device' }).check();
  await dialog.getByRole('button', { name: 'Accept' }).click();

  await expect(transferRows(b).first()).toHaveAttribute('data-state', 'completed');
  expect(await listFiles(bob.downloadDir)).toEqual(['keep.txt']);
  await expect.poll(() => bob.engine.devices().find((d) => d.fingerprint === alice.fingerprint)?.trusted).toBe(true);

  // The trusted device is listed in Settings and can be untrusted there.
  await b.getByRole('button', { name: 'Settings' }).click();
  await b.getByRole('button', { name: 'Stop trusting Alice' }).click();
  await expect.poll(() => bob.engine.devices().find((d) => d.fingerprint === alice.fingerprint)?.trusted).toBe(false);
  await expect(b.getByText('No trusted devices.')).toBeVisible();
});

test('the sender cancelling while the receiver decides closes the offer on the other side', async ({ world }) => {
  const { bob, a, b } = await world.pair();
  await dropFiles(a, bob, [await world.file('oops.txt', 'wrong file')]);
  await expect(offerDialog(b)).toBeVisible();
  const row = transferRows(a).first();
  await expect(row).toHaveAttribute('data-state', 'awaiting-accept');
  await expect(row.getByTestId('state-text')).toHaveText('Waiting for Bob to accept…');
  await row.getByRole('button', { name: 'Cancel: transfer with Bob' }).click();
  await expect(offerDialog(b)).toHaveCount(0);
  await expect(row).toHaveAttribute('data-state', 'cancelled');
  expect(await listFiles(bob.downloadDir)).toEqual([]);
});
