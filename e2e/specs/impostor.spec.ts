// A device that takes a known name with another identity is never trusted silently:
// the offer dialog warns in red instead of the usual "first time" note.
import { join } from 'node:path';
import { linkBridges } from '../bridge';
import { test, expect, offerDialog } from './fixtures';

test('an offer from a known name with a new identity is flagged as a possible impostor', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const bob = await world.bridge('Bob');
  await linkBridges(alice, bob); // Alice now knows "Bob" and his fingerprint
  const a = await world.open(alice);

  // Another computer calling itself Bob, with its own identity.
  const impostor = await world.bridge('Bob', { stateDir: join(world.root, 'impostor', 'state'), downloadDir: join(world.root, 'impostor', 'dl') });
  expect(impostor.fingerprint).not.toBe(bob.fingerprint);
  await linkBridges(impostor, alice);
  await impostor.engine.send({ to: { fingerprint: alice.fingerprint }, paths: [await world.file('invoice.pdf', 'pay me')] });

  const dialog = offerDialog(a);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('alert')).toContainText('a device named Bob used to have another identity');
  await expect(dialog.getByTestId('offer-new-device')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await expect(dialog).toHaveCount(0);
});
