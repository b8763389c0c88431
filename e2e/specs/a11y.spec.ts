// Everything is reachable and named: every control has an accessible name, progress bars carry
// their value, the offer is a modal dialog, and Tab reaches the device cards.
import type { Page } from '@playwright/test';
import { test, expect, dropFiles, offerDialog, transferRows } from './fixtures';

/** Buttons, inputs and progress bars on the page that a screen reader could not name. */
async function unnamed(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nameOf = (el: Element): string => {
      const labelled = el.getAttribute('aria-labelledby');
      const byId = labelled ? labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '' : '';
      const wrapping = el.closest('label')?.textContent ?? '';
      return [el.getAttribute('aria-label'), byId, label, wrapping, el.tagName === 'BUTTON' ? el.textContent : ''].join('').trim();
    };
    return [...document.querySelectorAll('button, input, select, [role="progressbar"]')]
      .filter((el) => !nameOf(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

test('controls are named, progress is exposed, the offer is a modal dialog, Tab reaches the cards', async ({ world }) => {
  const { bob, a, b } = await world.pair();
  await dropFiles(a, bob, [await world.file('hello.txt', 'hello')]);

  const dialog = offerDialog(b);
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog).toHaveAccessibleName('Alice wants to send you files');
  expect(await unnamed(b)).toEqual([]);
  await dialog.getByRole('button', { name: 'Accept' }).click();

  const row = transferRows(a).first();
  await expect(row).toHaveAttribute('data-state', 'completed');
  await expect(row.getByRole('progressbar', { name: 'Progress of transfer with Bob' })).toHaveAttribute('aria-valuenow', '100');
  await row.getByRole('button', { name: 'Show files' }).click();
  await expect(row.getByRole('button', { name: 'Hide files' })).toHaveAttribute('aria-expanded', 'true');
  expect(await unnamed(a)).toEqual([]);

  // From the top of the page, Tab lands on the device card before long.
  await a.locator('body').focus();
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await a.keyboard.press('Tab');
    reached = await a.evaluate(() => document.activeElement?.classList.contains('peer-main') ?? false);
  }
  expect(reached).toBe(true);
  await a.getByRole('button', { name: 'Settings' }).click();
  expect(await unnamed(a)).toEqual([]);
});
