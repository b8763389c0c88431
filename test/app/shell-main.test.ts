// The built Electron main bundle, run under Node against a stand-in for the Electron binary:
// the real engine starts, IPC is wired for every call and guarded, the lock-down is in place,
// closing the window keeps Ferry running, quitting stops the engine; a failed start says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import NODE_EXTERNALS from '../../scripts/bundle-externals.json';
import { API_CALLS, GRANT_PATH_CHANNEL, callChannel } from '../../src/shared/api';
import { CSP } from '../../src/main/content-policy';

const root = join(__dirname, '..', '..');
let dir: string;
let bundle: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-shell-'));
  bundle = join(dir, 'app', 'dist', 'main', 'index.js');
  await build({ entryPoints: [join(root, 'src/main/index.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', ...NODE_EXTERNALS], logLevel: 'silent' });
  await mkdir(join(dir, 'app', 'node_modules', 'electron'), { recursive: true });
  await copyFile(join(__dirname, 'electron-stub', 'electron.cjs'), join(dir, 'app', 'node_modules', 'electron', 'index.js'));
  // The BLAKE3 binding is native and stays outside the bundle, as in the packaged app.
  await symlink(join(root, 'node_modules', '@napi-rs'), join(dir, 'app', 'node_modules', '@napi-rs'));
  await copyFile(join(__dirname, 'electron-stub', 'driver.cjs'), join(dir, 'app', 'driver.cjs'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A state folder with settings, so received files and state stay in the temp folder. */
async function home(name: string, settings: object): Promise<string> {
  const h = join(dir, name);
  await mkdir(h);
  await writeFile(join(h, 'settings.json'), JSON.stringify(settings));
  return h;
}

function drive(ferryHome: string, port: string, mode = 'normal') {
  const r = spawnSync(process.execPath, [join(dir, 'app', 'driver.cjs'), bundle, mode], {
    env: { ...process.env, FERRY_HOME: ferryHome, FERRY_PORT: port, FERRY_HOST: '127.0.0.1', FERRY_DISCOVERY_INTERFACES: 'lo', FERRY_LOG: 'error' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('start, guarded IPC, lock-down, hide on close, clean quit', async () => {
  const h = await home('ok', { deviceName: 'Shell', downloadDir: join(dir, 'down'), theme: 'light' });
  const out = drive(h, '0');

  assert.deepEqual(out.channels.sort(), [...API_CALLS.map(callChannel), `on:${GRANT_PATH_CHANNEL}`].sort());
  assert.equal(out.loaded, join(dir, 'app', 'dist', 'renderer', 'index.html'));
  assert.equal(out.webPreferences.preload, join(dir, 'app', 'dist', 'preload', 'index.js'));
  assert.equal(out.webPreferences.sandbox, true);
  assert.equal(out.webPreferences.contextIsolation, true);

  assert.equal(out.snapshot.ok, true);
  assert.equal(out.snapshot.value.identity.name, 'Shell');
  assert.equal(out.snapshot.value.settings.downloadDir, join(dir, 'down'));
  for (const k of ['foreign', 'subframe', 'otherPage']) {
    assert.equal(out[k].ok, false, `${k} sender refused`);
    assert.equal(out[k].error.code, 'E_INVALID_ARGUMENT');
  }
  assert.equal(out.update.ok, true);
  assert.equal(out.themeAtStart, 'light', 'saved theme applied to native parts');
  assert.equal(out.themeAfterUpdate, 'dark');
  assert.equal(out.badArgs.error.code, 'E_INVALID_ARGUMENT');
  assert.equal(out.ungranted.error.code, 'E_INVALID_ARGUMENT', 'a path nobody dropped');
  assert.equal(out.grantReturn, null, 'sendSync answered');
  assert.equal(out.foreignGrant.error.code, 'E_INVALID_ARGUMENT', 'a grant from another webContents is ignored');
  assert.equal(out.granted.error.code, 'E_NOT_FOUND', 'granted path passes; the peer is unknown');
  assert.ok(out.sentEvents.includes('ferry:event:settingsChanged'), out.sentEvents.join());
  const saved = JSON.parse(await readFile(join(h, 'settings.json'), 'utf8'));
  assert.equal(saved.deviceName, 'Renamed');

  assert.deepEqual(out.headers['Content-Security-Policy'], [CSP]);
  assert.deepEqual(out.headers['x-a'], ['b']);
  assert.equal(out.permissionGranted, false);
  assert.equal(out.remoteCancelled, true);
  assert.equal(out.localCancelled, false);
  assert.equal(out.navigationPrevented, true);
  assert.deepEqual(out.windowOpen, { action: 'deny' });

  assert.equal(out.shownAfterReady, true);
  assert.equal(out.closeKeptRunning, true);
  assert.deepEqual(out.trayMenu, ['Open Ferry', 'Pause all transfers', 'separator', 'Quit Ferry']);
  assert.equal(out.trayImage, join(dir, 'app', 'dist', 'assets', 'tray.png'));

  assert.equal(out.listeningBeforeQuit, true);
  assert.equal(out.quitCount, 3, 'two Quits held while the engine stops, then one that goes through');
  assert.equal(out.trayDestroyed, true);
  assert.equal(out.portClosedAfterQuit, true);
});

test('a start that fails (port taken) says why in a window and exits 1', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const port = (blocker.address() as { port: number }).port;
    const h = await home('taken', { deviceName: 'Shell', downloadDir: join(dir, 'down2') });
    const out = drive(h, String(port), 'expect-failure');
    assert.equal(out.exitCode, 1);
    assert.equal(out.windows, 0);
    assert.equal(out.errorBoxes.length, 1);
    assert.equal(out.errorBoxes[0].title, 'Ferry could not start');
    assert.match(out.errorBoxes[0].content, new RegExp(`port ${port}`));
  } finally {
    blocker.close();
  }
});
