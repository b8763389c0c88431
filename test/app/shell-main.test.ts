// The built Electron main bundle, run under Node against a stand-in for the Electron binary:
// the real engine starts, IPC is wired for every call and guarded, the lock-down is in place,
// closing the window keeps Ferry running, quitting stops the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { API_CALLS, callChannel } from '../../src/shared/api';
import { CSP } from '../../src/main/content-policy';

const root = join(__dirname, '..', '..');

test('main bundle under a stand-in Electron: start, guarded IPC, lock-down, hide on close, clean quit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-shell-'));
  try {
    const bundle = join(dir, 'app', 'dist', 'main', 'index.js');
    await build({ entryPoints: [join(root, 'src/main/index.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', 'bufferutil', 'utf-8-validate'], logLevel: 'silent' });
    await mkdir(join(dir, 'app', 'node_modules', 'electron'), { recursive: true });
    await copyFile(join(__dirname, 'electron-stub', 'electron.cjs'), join(dir, 'app', 'node_modules', 'electron', 'index.js'));
    await copyFile(join(__dirname, 'electron-stub', 'driver.cjs'), join(dir, 'app', 'driver.cjs'));
    const home = join(dir, 'home');
    await mkdir(home);
    // Settings first so received files stay in the temp folder.
    await writeFile(join(home, 'settings.json'), JSON.stringify({ deviceName: 'Shell', downloadDir: join(dir, 'down'), theme: 'light' }));

    const r = spawnSync(process.execPath, [join(dir, 'app', 'driver.cjs'), bundle], {
      env: { ...process.env, FERRY_HOME: home, FERRY_PORT: '0', FERRY_HOST: '127.0.0.1', FERRY_DISCOVERY_INTERFACES: 'lo', FERRY_LOG: 'error' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, `driver failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout);

    assert.deepEqual(out.channels.sort(), API_CALLS.map(callChannel).sort());
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
    assert.ok(out.sentEvents.includes('ferry:event:settingsChanged'), out.sentEvents.join());
    const saved = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'));
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
    assert.equal(out.quitCount, 2, 'quit waits for the engine, then quits again');
    assert.equal(out.trayDestroyed, true);
    assert.equal(out.portClosedAfterQuit, true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
