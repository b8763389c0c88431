// The parts of the Electron shell that can run without the Electron binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { isTrustedSender } from '../../src/main/sender-check';
import { windowOptions } from '../../src/main/window-options';
import { trayMenuTemplate } from '../../src/main/tray-menu';
import { CSP, isLocalRequest } from '../../src/main/content-policy';
import { appPaths } from '../../src/main/main-window-paths';
import { envEngineOptions } from '../../src/main/env-options';

const indexUrl = pathToFileURL('/opt/Ferry/resources/app/dist/renderer/index.html').href;
const ours = { webContentsId: 7, indexUrl };
const sender = (over: Partial<Parameters<typeof isTrustedSender>[0]> = {}) => ({
  webContentsId: 7,
  frameUrl: indexUrl,
  isMainFrame: true,
  ...over,
});

test('IPC is accepted only from our window top frame on our index file', () => {
  assert.equal(isTrustedSender(sender(), ours), true);
  assert.equal(isTrustedSender(sender({ frameUrl: `${indexUrl}#/settings` }), ours), true);
  assert.equal(isTrustedSender(sender({ webContentsId: 8 }), ours), false, 'another webContents');
  assert.equal(isTrustedSender(sender({ isMainFrame: false }), ours), false, 'a subframe');
  assert.equal(isTrustedSender(sender({ frameUrl: null }), ours), false, 'frame gone');
  assert.equal(isTrustedSender(sender({ frameUrl: 'https://evil.example/index.html' }), ours), false);
  assert.equal(isTrustedSender(sender({ frameUrl: pathToFileURL('/tmp/index.html').href }), ours), false, 'another file');
  assert.equal(isTrustedSender(sender({ frameUrl: 'not a url' }), ours), false);
  assert.equal(isTrustedSender(sender(), null), false, 'no window yet');
  // Install folders with spaces or non-ASCII names, however the URL escapes them.
  const spaced = { webContentsId: 7, indexUrl: pathToFileURL('/opt/My Apps/Fähre/index.html').href };
  assert.equal(isTrustedSender(sender({ frameUrl: 'file:///opt/My%20Apps/F%C3%A4hre/index.html' }), spaced), true);
  assert.equal(isTrustedSender(sender({ frameUrl: 'file:///opt/My%20Apps/F%C3%A4hre/other.html' }), spaced), false);
  assert.equal(isTrustedSender(sender({ frameUrl: 'file:///opt/%E0%A4%A/index.html' }), spaced), false, 'bad escape');
});

test('the window is locked down per the Electron security checklist', () => {
  const o = windowOptions('/app/dist/preload/index.js');
  const w = o.webPreferences!;
  assert.equal(w.preload, '/app/dist/preload/index.js');
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInSubFrames, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.allowRunningInsecureContent, false);
  assert.equal(w.webviewTag, false);
  assert.equal(o.show, false, 'shown on ready-to-show, no white flash');
});

test('tray menu offers Open, Pause all and Quit, each wired to its action', () => {
  const calls: string[] = [];
  const items = trayMenuTemplate({ open: () => calls.push('open'), pauseAll: () => calls.push('pause'), quit: () => calls.push('quit') });
  const clickable = items.filter((i) => i.click);
  assert.deepEqual(clickable.map((i) => i.label), ['Open Ferry', 'Pause all transfers', 'Quit Ferry']);
  for (const i of clickable) (i.click as () => void)();
  assert.deepEqual(calls, ['open', 'pause', 'quit']);
});

test('content policy: nothing remote, no inline script', () => {
  assert.match(CSP, /default-src 'none'/);
  assert.match(CSP, /script-src 'self';/);
  assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval|https?:/);
  assert.equal(isLocalRequest(indexUrl), true);
  assert.equal(isLocalRequest('data:image/png;base64,AAAA'), true);
  assert.equal(isLocalRequest('https://example.com/x.js'), false);
  assert.equal(isLocalRequest('ws://127.0.0.1:1/'), false);
  assert.equal(isLocalRequest('data:text/html,<script>1</script>'), false);
});

test('built app paths sit side by side under dist/', () => {
  const p = appPaths('/app/dist/main');
  assert.equal(p.preload, '/app/dist/preload/index.js');
  assert.equal(p.index, '/app/dist/renderer/index.html');
  assert.equal(p.indexUrl, 'file:///app/dist/renderer/index.html');
  assert.equal(p.assets, '/app/dist/assets');
});

test('FERRY_PORT and FERRY_HOST reach the engine; a bad port is refused with its name', () => {
  assert.deepEqual(envEngineOptions({}), {});
  assert.deepEqual(envEngineOptions({ FERRY_PORT: '0', FERRY_HOST: '127.0.0.1' }), { port: 0, host: '127.0.0.1' });
  assert.throws(() => envEngineOptions({ FERRY_PORT: '70000' }), /FERRY_PORT/);
  assert.throws(() => envEngineOptions({ FERRY_PORT: 'abc' }), /FERRY_PORT/);
});
