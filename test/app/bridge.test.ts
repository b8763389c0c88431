// The e2e bridge end to end: two real engines, a page in headless Chromium under the app's CSP
// using window.ferry over the WebSocket, and a file that really crosses.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import WebSocket from 'ws';
import { CSP } from '../../src/main/content-policy';
import { linkBridges, startBridge, type Bridge } from '../../e2e/bridge';
import { until } from './helpers';

let dir: string;
let alice: Bridge;
let bob: Bridge;
let browser: Browser;

// A stand-in renderer: the real one is the renderer helper's; this page only drives the API.
const INDEX = `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<script type="module" src="./app.js"></script></head><body></body></html>`;
const APP = `
window.__log = [];
window.ferry.on('transferUpserted', (t) => window.__log.push(t.state));
window.ferry.getSnapshot().then((r) => { document.body.dataset.ready = r.ok ? r.value.identity.name : 'error'; });`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-bridge-'));
  const renderer = join(dir, 'renderer');
  await mkdir(renderer);
  await writeFile(join(renderer, 'index.html'), INDEX);
  await writeFile(join(renderer, 'app.js'), APP);
  const mk = (name: string, acceptPolicy: 'ask' | 'all') =>
    startBridge({ name, stateDir: join(dir, name, 'state'), downloadDir: join(dir, name, 'down'), acceptPolicy, rendererDir: renderer });
  alice = await mk('Alice', 'ask');
  bob = await mk('Bob', 'all');
  browser = await chromium.launch({ executablePath: process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  await alice?.close();
  await bob?.close();
  await rm(dir, { recursive: true, force: true });
});

test('a page under the app CSP drives a real engine through window.ferry', async () => {
  const peer = await linkBridges(alice, bob);
  const src = join(dir, 'hello.txt');
  await writeFile(src, 'hello from the bridge');
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
  try {
    await page.goto(alice.url);
    await page.waitForSelector('body[data-ready="Alice"]', { state: 'attached', timeout: 20_000 });
    // A path the page made up is refused; a dropped file's path (via getPathForFile) is sent.
    const made = await page.evaluate(
      ([fp, path]) => window.ferry.sendPaths(fp, [path]).then((x) => (x.ok ? x.value.state : x.error.code)),
      [peer.fingerprint, src],
    );
    assert.equal(made, 'E_INVALID_ARGUMENT');
    const r = await page.evaluate(
      ([fp, path]) => {
        window.__ferryTestPaths = { 'hello.txt': path };
        const dropped = window.ferry.getPathForFile(new File(['x'], 'hello.txt'));
        return window.ferry.sendPaths(fp, [dropped]).then((x) => (x.ok ? x.value.state : x.error.code));
      },
      [peer.fingerprint, src],
    );
    assert.ok(['awaiting-accept', 'transferring', 'completed'].includes(r), r);
    await until(async () => (await readFile(join(dir, 'Bob', 'down', 'hello.txt'), 'utf8').catch(() => '')) === 'hello from the bridge', 'file at bob');
    await page.waitForFunction(() => (window as unknown as { __log: string[] }).__log.includes('completed'), null, { timeout: 20_000 });
    // Results keep their codes across the hop.
    const bad = await page.evaluate(() => window.ferry.pauseTransfer('nope').then((x) => (x.ok ? 'ok' : x.error.code)));
    assert.equal(bad, 'E_NOT_FOUND');
    // Events only from the contract; dropped-file paths from the test map.
    const threw = await page.evaluate(() => {
      try {
        window.ferry.on('nonsense' as never, () => undefined);
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(threw, true);
    const path = await page.evaluate(() => {
      window.__ferryTestPaths = { 'a.txt': '/x/a.txt' };
      return [window.ferry.getPathForFile(new File(['1'], 'a.txt')), window.ferry.getPathForFile(new File(['1'], 'b.txt'))];
    });
    assert.deepEqual(path, ['/x/a.txt', '']);
    assert.deepEqual(violations, []);
  } finally {
    await page.close();
  }
});

test('the RPC socket refuses other origins and serves nothing outside the renderer', async () => {
  const origin = new URL(alice.url).origin;
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { origin: 'http://evil.example' } });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
    ws.on('open', () => resolve(101));
  });
  assert.equal(status, 403);
  const res = await fetch(`${origin}/..%2f..%2fpackage.json`);
  assert.equal(res.status, 404);
  const index = await fetch(alice.url);
  assert.equal(index.headers.get('content-security-policy'), CSP);
  const html = await index.text();
  assert.ok(html.indexOf('bridge-shim.js') < html.indexOf('app.js'), 'shim before the app bundle');
});

test('RPC from Node: calls answer with Results, events arrive', async () => {
  const origin = new URL(alice.url).origin;
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { origin } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const messages: { id?: number; event?: string; result?: { ok: boolean; value?: { theme?: string } } }[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  ws.send(JSON.stringify({ id: 1, call: 'updateSettings', args: [{ theme: 'dark' }] }));
  const reply = await until(() => messages.find((m) => m.id === 1), 'reply');
  assert.equal(reply.result?.ok, true);
  assert.equal(reply.result?.value?.theme, 'dark');
  await until(() => messages.find((m) => m.event === 'settingsChanged'), 'settingsChanged event');
  ws.close();
});
