/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it stands in for a CommonJS module */
// Runs the built main bundle (argv[2]) against the electron stub and prints what happened as JSON.
const net = require('node:net');
const { pathToFileURL } = require('node:url');
const electron = require('electron');

const calls = electron.__calls;
require(process.argv[2]);

async function until(check, what) {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out: ${what}`);
}

const prevented = () => ({ prevented: false, preventDefault() { this.prevented = true; } });
const refused = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(true));
  });

async function expectFailure() {
  await until(() => calls.exitCode !== null, 'exit after a failed start');
  process.stdout.write(JSON.stringify({ exitCode: calls.exitCode, errorBoxes: calls.errorBoxes ?? [], windows: calls.windows.length }));
  process.exit(0);
}

async function normalRun() {
  await until(() => calls.windows.length === 1 && calls.trays.length === 1, 'window and tray');
  const win = calls.windows[0];
  const indexUrl = pathToFileURL(win.loaded).href;
  const ev = (id, url, parent = null) => ({ sender: { id }, senderFrame: url === null ? null : { url, parent } });
  const call = (name, e, ...args) => calls.handlers.get(`ferry:call:${name}`)(e, ...args);
  const ours = ev(win.webContents.id, indexUrl);
  const out = { webPreferences: win.opts.webPreferences, loaded: win.loaded, channels: [...calls.handlers.keys()] };
  out.snapshot = await call('getSnapshot', ours);
  out.foreign = await call('getSnapshot', ev(999, indexUrl));
  out.subframe = await call('getSnapshot', ev(win.webContents.id, indexUrl, {}));
  out.otherPage = await call('getSnapshot', ev(win.webContents.id, 'https://example.com/'));
  out.themeAtStart = electron.nativeTheme.themeSource;
  out.update = await call('updateSettings', ours, { deviceName: 'Renamed', theme: 'dark' });
  out.themeAfterUpdate = electron.nativeTheme.themeSource;
  out.badArgs = await call('pauseTransfer', ours, 42);
  // Dropped-file paths: granted only from our window; sendSync gets its returnValue either way.
  const grant = (e, path) => {
    const sync = { ...e, returnValue: undefined };
    calls.handlers.get('on:ferry:grant-path')(sync, path);
    return sync.returnValue;
  };
  out.ungranted = await call('sendPaths', ours, 'f'.repeat(64), ['/etc/hostname']);
  out.grantReturn = grant(ev(999, indexUrl), '/etc/hostname');
  out.foreignGrant = await call('sendPaths', ours, 'f'.repeat(64), ['/etc/hostname']);
  grant(ours, '/etc/hostname');
  out.granted = await call('sendPaths', ours, 'f'.repeat(64), ['/etc/hostname']);
  out.sentEvents = win.webContents.sent.map(([c]) => c);
  calls.session.headers({ responseHeaders: { 'x-a': ['b'] } }, (r) => (out.headers = r.responseHeaders));
  calls.session.permissionRequest(null, 'media', (ok) => (out.permissionGranted = ok));
  calls.session.before({ url: 'https://example.com/x.js' }, (r) => (out.remoteCancelled = r.cancel));
  calls.session.before({ url: indexUrl }, (r) => (out.localCancelled = r.cancel));
  const nav = prevented();
  win.webContents.emit('will-navigate', nav);
  out.navigationPrevented = nav.prevented;
  out.windowOpen = win.webContents.openHandler({ url: 'https://example.com/' });
  out.shownAfterReady = win.visible;
  const close = prevented();
  win.emit('close', close);
  out.closeKeptRunning = close.prevented && !win.visible;
  out.trayMenu = calls.trays[0].menu.template.map((i) => i.label ?? i.type);
  out.trayImage = calls.trays[0].image.path;
  const port = out.snapshot.value.identity.port;
  out.listeningBeforeQuit = !(await refused(port));
  electron.app.quit();
  electron.app.quit(); // a second Quit while stopping must not stop twice
  await until(() => calls.quitDone, 'quit after shutdown');
  out.quitCount = calls.quitCount;
  out.trayDestroyed = !!calls.trays[0].destroyed;
  out.portClosedAfterQuit = await refused(port);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

(process.argv[3] === 'expect-failure' ? expectFailure() : normalRun()).catch((err) => {
  console.error(err);
  process.exit(1);
});
