// Finding the other computer: the empty state explains what to check; add-by-address works from
// the UI and says clearly when it does not; multicast discovery on loopback where it can run.
import { execFileSync } from 'node:child_process';
import { test, expect, dropFiles, peerCard, transferRows } from './fixtures';

test('empty state explains what to check, then add by address shows the peer card', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const bob = await world.bridge('Bob');
  const page = await world.open(alice);

  const empty = page.getByTestId('peers-empty');
  await expect(empty).toContainText('same network');
  await expect(empty).toContainText('Ferry is open on the other computer');
  await expect(empty).toContainText('AP isolation');

  await page.getByLabel('Address of the other computer').fill(bob.address);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const card = peerCard(page, bob);
  await expect(card).toBeVisible();
  await expect(card).toContainText('Bob');
  await expect(card.getByRole('button', { name: /Send files to Bob: .*Online/ })).toBeVisible();
  await expect(page.getByTestId('peers-empty')).toHaveCount(0);
});

test('adding an address where nobody listens says so in words', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const page = await world.open(alice);
  // Port 9 (discard) on loopback: nothing listens there.
  await page.getByLabel('Address of the other computer').fill('127.0.0.1:9');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not add 127.0.0.1:9');
  await expect(page.getByLabel('Address of the other computer')).toHaveAttribute('aria-invalid', 'true');
});

function loopbackMulticast(): boolean {
  try {
    return /MULTICAST/.test(execFileSync('ip', ['link', 'show', 'lo'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

test('a peer on the same network appears by itself (multicast discovery on loopback)', async ({ world }) => {
  test.skip(!loopbackMulticast(), 'loopback has no MULTICAST flag (ip link set lo multicast on, as root): discovery not testable here');
  // A private discovery port so a real Ferry on this machine is not disturbed.
  const discovery = { interfaces: ['lo'], port: 40_000 + Math.floor(Math.random() * 20_000) };
  const alice = await world.bridge('Alice', { discovery });
  const bob = await world.bridge('Bob', { discovery, settings: { deviceType: 'laptop' } });
  const page = await world.open(alice);
  const card = peerCard(page, bob);
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText('Laptop');
});

test('sending to a device that has gone away says so in words', async ({ world }) => {
  const { bob, a } = await world.pair();
  await bob.close();
  const file = await world.file('late.txt', 'too late');
  await dropFiles(a, bob, [file]);
  const row = transferRows(a).first();
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  await expect(row.getByTestId('state-text')).toHaveText(/^Failed: Could not reach the other device\./);
  await expect(row.getByRole('button', { name: 'Retry: transfer with Bob' })).toBeVisible();
});

test('losing the network shows a banner that says what to do', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const page = await world.open(alice);
  const banner = page.getByText('This computer is not connected to a network.');
  await expect(banner).toHaveCount(0);
  await page.context().setOffline(true);
  await expect(banner).toBeVisible();
  await page.context().setOffline(false);
  await expect(banner).toHaveCount(0);
});
