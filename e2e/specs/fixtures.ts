// Shared e2e fixtures: temp folders, bridges (real engines) that are always closed, pages that
// fail the test on CSP violations or uncaught errors, and helpers for drag-and-drop and files.
import { test as base, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { linkBridges, startBridge, type Bridge, type BridgeOptions } from '../bridge';

export { expect };

export interface TestBridge extends Bridge {
  name: string;
  fingerprint: string;
  downloadDir: string;
  stateDir: string;
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  locale?: string;
}

export interface World {
  root: string;
  bridge(name: string, opts?: Partial<BridgeOptions>): Promise<TestBridge>;
  /** The app of a bridge in a fresh browser context; waits until it has loaded the snapshot. */
  open(b: TestBridge, opts?: OpenOptions): Promise<Page>;
  /** A real file with the given content under the test's temp folder; returns its path. */
  file(name: string, content: string | Buffer): Promise<string>;
  /** A sparse file of `size` bytes (zeros), cheap to create, real to send. */
  sparse(name: string, size: number): Promise<string>;
  /** Closes every page and bridge now (e.g. before unmounting a folder they use). */
  closeBridges(): Promise<void>;
  /** Alice knows Bob (added by address); both apps open. */
  pair(bobOpts?: Partial<BridgeOptions>): Promise<Pair>;
}

export interface Pair {
  alice: TestBridge;
  bob: TestBridge;
  /** Alice's and Bob's app pages. */
  a: Page;
  b: Page;
}

declare global {
  interface Window {
    __cspViolations?: string[];
    __ferryTestPaths?: Record<string, string>;
  }
}

async function openPage(browser: Browser, b: TestBridge, opts: OpenOptions, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ colorScheme: opts.colorScheme ?? 'light', locale: opts.locale ?? 'en-US' });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations?.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`${b.name}: page error: ${err.message}`));
  await page.goto(b.url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('.splash')).toHaveCount(0);
  return page;
}

export const test = base.extend<{ world: World }>({
  world: async ({ browser }, use) => {
    const root = await mkdtemp(join(tmpdir(), 'ferry-e2e-'));
    const bridges: TestBridge[] = [];
    const pages: Page[] = [];
    const problems: string[] = [];
    const world: World = {
      root,
      async bridge(name, opts = {}) {
        const stateDir = opts.stateDir ?? join(root, name, 'state');
        const downloadDir = opts.downloadDir ?? join(root, name, 'downloads');
        await mkdir(stateDir, { recursive: true });
        const b = await startBridge({ name, stateDir, downloadDir, ...opts });
        const tb = Object.assign(b, { name, fingerprint: b.engine.identity.fingerprint, downloadDir, stateDir });
        bridges.push(tb);
        return tb;
      },
      async open(b, opts = {}) {
        const page = await openPage(browser, b, opts, problems);
        pages.push(page);
        return page;
      },
      async file(name, content) {
        const p = join(root, 'src', name);
        await mkdir(join(p, '..'), { recursive: true });
        await writeFile(p, content);
        return p;
      },
      async sparse(name, size) {
        const p = join(root, 'src', name);
        await mkdir(join(p, '..'), { recursive: true });
        const fh = await open(p, 'w');
        await fh.truncate(size);
        await fh.close();
        return p;
      },
      async closeBridges() {
        for (const page of pages.splice(0)) {
          const csp = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
          problems.push(...csp.map((v) => `CSP violation: ${v}`));
          await page.context().close();
        }
        await Promise.all(bridges.splice(0).map((b) => b.close().catch(() => undefined)));
      },
      async pair(bobOpts = {}) {
        const alice = await world.bridge('Alice');
        const bob = await world.bridge('Bob', bobOpts);
        await linkBridges(alice, bob);
        return { alice, bob, a: await world.open(alice), b: await world.open(bob) };
      },
    };
    await use(world);
    await world.closeBridges();
    await rm(root, { recursive: true, force: true });
    expect(problems, 'no page errors or CSP violations').toEqual([]);
  },
});

export const peerCard = (page: Page, peer: { fingerprint: string }): Locator => page.locator(`[data-peer="${peer.fingerprint}"]`);
export const transferRows = (page: Page): Locator => page.locator('[data-transfer]');
export const offerDialog = (page: Page): Locator => page.getByRole('dialog');

/**
 * Drags real files onto a peer card the way a person would: dragenter, dragover, drop with a
 * DataTransfer holding File objects. The bridge shim's getPathForFile maps each File's name to
 * the real path (stand-in for Electron's webUtils.getPathForFile). Checks the card highlights.
 */
export async function dropFiles(page: Page, peer: { fingerprint: string }, paths: string[]): Promise<void> {
  const card = peerCard(page, peer);
  const map = Object.fromEntries(paths.map((p) => [p.split('/').pop() as string, p]));
  const dt = await page.evaluateHandle((names) => {
    window.__ferryTestPaths = { ...window.__ferryTestPaths, ...names.map };
    const data = new DataTransfer();
    for (const name of Object.keys(names.map)) data.items.add(new File(['x'], name));
    return data;
  }, { map });
  await card.dispatchEvent('dragenter', { dataTransfer: dt });
  await card.dispatchEvent('dragover', { dataTransfer: dt });
  await expect(card).toHaveClass(/is-over/);
  await card.dispatchEvent('drop', { dataTransfer: dt });
  await expect(card).not.toHaveClass(/is-over/);
}

export async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under dir, as paths relative to it ('/'-separated). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** The bytes-done figure a row's progressbar reports (0..100). */
export async function progressOf(row: Locator): Promise<number> {
  return Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
}

/** Saves a screenshot for the README under docs/screenshots (deterministic names). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1); // no hover highlight where the last click was
  await page.waitForTimeout(300); // let enter animations finish
  await page.screenshot({ path: join(__dirname, '..', '..', 'docs', 'screenshots', `${name}.png`), animations: 'disabled' });
}
