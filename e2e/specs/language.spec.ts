// Language follows the OS unless set; switching to 简体中文 and back changes every visible string.
import { test, expect } from './fixtures';

test('switch to Simplified Chinese and back from Settings', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const page = await world.open(alice);
  await expect(page.getByRole('heading', { name: 'Devices nearby' })).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: '简体中文' }).check();
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByRole('button', { name: '返回' }).click();
  await expect(page.getByRole('heading', { name: '附近的设备' })).toBeVisible();
  await expect(page.getByText('正在寻找设备…')).toBeVisible();

  // Survives a reload: the setting was saved by the app service.
  await page.reload();
  await expect(page.getByRole('heading', { name: '附近的设备' })).toBeVisible();

  await page.getByRole('button', { name: '设置' }).click();
  await page.getByRole('radio', { name: 'English' }).check();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('"System" language follows the OS language from the snapshot', async ({ world }) => {
  const alice = await world.bridge('Alice');
  alice.platform.system = { language: 'zh-CN', dark: false };
  const page = await world.open(alice);
  await expect(page.getByRole('heading', { name: '附近的设备' })).toBeVisible();
});

test('theme: dark when chosen, and "System" follows prefers-color-scheme', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const page = await world.open(alice, { colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('renaming this computer in Settings updates the header and the engine', async ({ world }) => {
  const alice = await world.bridge('Alice');
  const page = await world.open(alice);
  await page.getByRole('button', { name: 'Settings' }).click();
  const name = page.getByLabel('Device name');
  await name.fill('Alice’s Desk');
  await name.press('Enter');
  await expect(page.getByText('This computer: Alice’s Desk')).toBeVisible();
  await expect.poll(() => alice.engine.identity.name).toBe('Alice’s Desk');
});
