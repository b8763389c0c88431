// The real Electron app through Playwright's _electron, where an Electron binary exists.
// The check never loads the `electron` package: requiring it downloads the binary.
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, peerCard, transferRows } from './fixtures';

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

function skipWithoutElectron(): string {
  const bin = electronBinary();
  if (!bin) console.log(SKIP); // the list reporter does not print skip reasons
  test.skip(!bin, SKIP);
  return bin as string;
}

/** Launches dist/main/index.js with its state (and downloads) in a fresh temp folder. */
async function launchApp(bin: string, run: (app: ElectronApplication, win: Page) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'ferry-electron-'));
  await writeFile(
    join(home, 'settings.json'),
    JSON.stringify({ deviceName: 'Electron', deviceType: 'desktop', downloadDir: join(home, 'downloads'), acceptPolicy: 'ask', theme: 'light', language: 'en' }),
  );
  const app = await electron.launch({
    executablePath: bin,
    args: [join(root, 'dist', 'main', 'index.js'), '--no-sandbox', '--disable-gpu'],
    env: { ...process.env, FERRY_HOME: home },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: 'Devices nearby' })).toBeVisible({ timeout: 60_000 });
    await run(app, win);
  } finally {
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
}

test('the Electron app opens its main window on the devices screen', async () => {
  const bin = skipWithoutElectron();
  await launchApp(bin, async (_app, win) => {
    await expect(win.getByRole('heading', { level: 1 })).toHaveText('Ferry');
    // The preload's API is the only door; Node is not reachable from the page.
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as unknown as { ferry: { getSnapshot: unknown } }).ferry.getSnapshot)).toBe('function');
  });
});

test('Electron: add a peer by address and send a file through the native picker', async ({ world }) => {
  const bin = skipWithoutElectron();
  const bob = await world.bridge('Bob', { acceptPolicy: 'all' });
  const file = await world.file('from-electron.txt', 'sent from the real app\n'.repeat(500));
  await launchApp(bin, async (app, win) => {
    // Discovery may already list devices on this LAN; then the form sits behind a button.
    const openForm = win.getByRole('button', { name: 'Add by address' });
    if (await openForm.isVisible()) await openForm.click();
    await win.getByLabel('Address of the other computer').fill(bob.address);
    await win.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(peerCard(win, bob)).toBeVisible();
    // The native file dialog cannot be clicked by a test: answer it in the main process.
    await app.evaluate(({ dialog }, paths) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: paths })) as typeof dialog.showOpenDialog;
    }, [file]);
    await peerCard(win, bob).getByRole('button', { name: /Send files to Bob/ }).click();
    await expect(transferRows(win).first()).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
    expect(await readFile(join(bob.downloadDir, 'from-electron.txt'), 'utf8')).toBe(await readFile(file, 'utf8'));
  });
});
