// The real Electron app through Playwright's _electron, where an Electron binary exists.
// The check never loads the `electron` package: requiring it downloads the binary.
import { _electron as electron, test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The Electron executable from node_modules/electron/path.txt, or null when it is not installed. */
function electronBinary(): string | null {
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const SKIP = 'Electron binary not present: skipped; the Chromium + bridge run covers the renderer and engine';

test('the Electron app opens its main window on the devices screen', async () => {
  const bin = electronBinary();
  if (!bin) console.log(SKIP); // the list reporter does not print skip reasons
  test.skip(!bin, SKIP);
  const home = await mkdtemp(join(tmpdir(), 'ferry-electron-'));
  // Settings first, so received files and state stay inside the temp folder.
  await writeFile(
    join(home, 'settings.json'),
    JSON.stringify({ deviceName: 'E2E', deviceType: 'desktop', downloadDir: join(home, 'downloads'), acceptPolicy: 'ask', theme: 'light', language: 'en' }),
  );
  const app = await electron.launch({
    executablePath: bin as string,
    args: [join(root, 'dist', 'main', 'index.js'), '--no-sandbox', '--disable-gpu'],
    env: { ...process.env, FERRY_HOME: home },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: 'Devices nearby' })).toBeVisible({ timeout: 60_000 });
    await expect(win.getByRole('heading', { level: 1 })).toHaveText('Ferry');
    // The preload's API is the only door; Node is not reachable from the page.
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as unknown as { ferry: { getSnapshot: unknown } }).ferry.getSnapshot)).toBe('function');
  } finally {
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
});
