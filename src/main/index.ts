// Electron entry: one instance, one engine, one AppService, one window, a tray. No transfer
// logic lives here; everything the renderer can do goes through AppService's checks.
import { app, dialog, type BrowserWindow, type Tray } from 'electron';
import type { Settings } from '../shared/types';
import { AppService } from './engine/app/app-service';
import { loadSettings } from './engine/app/settings';
import { createEngine } from './engine/engine';
import type { EngineApi } from './engine/engine-api';
import { stderrLogger } from './engine/log';
import { defaultStateDir } from './engine/store/state-dir';
import { ElectronPlatform } from './electron-platform';
import { envEngineOptions } from './env-options';
import { registerIpc } from './ipc';
import { createMainWindow, showWindow } from './main-window';
import { appPaths } from './main-window-paths';
import { installSessionPolicy, lockWebContents } from './security';
import { applyTheme } from './theme';
import { createTray } from './tray';

const log = stderrLogger();
let win: BrowserWindow | null = null;
let tray: Tray | null = null;
let engine: EngineApi | null = null;
let service: AppService | null = null;
let quitting = false;
let stopping: Promise<void> | null = null;
let stopped = false;

async function start(): Promise<void> {
  installSessionPolicy();
  const paths = appPaths(__dirname);
  // FERRY_HOME, else the OS config folder: the same place the CLI uses, so both are one device.
  const dir = defaultStateDir();
  const settings = await loadSettings(dir);
  const eng = await createEngine({
    stateDir: dir,
    downloadDir: settings.downloadDir,
    name: settings.deviceName,
    deviceType: settings.deviceType,
    acceptPolicy: settings.acceptPolicy,
    discovery: true,
    ...envEngineOptions(),
    logger: log,
  });
  engine = eng;
  await eng.start();
  const platform = new ElectronPlatform(() => win, () => showWindow(win));
  service = new AppService({ engine: eng, platform, stateDir: dir, settings, logger: log });
  registerIpc(service, () => win, paths.indexUrl);
  applyTheme(settings.theme);
  service.onEvent((name, payload) => {
    if (name === 'settingsChanged') applyTheme((payload as Settings).theme);
  });
  win = createMainWindow(paths, () => quitting);
  tray = createTray(paths.assets, {
    open: () => showWindow(win),
    pauseAll: () => service?.pauseAll(),
    quit: () => app.quit(),
  });
}

/** Stops the engine cleanly; partial transfers stay on disk for resuming next time. */
async function stop(): Promise<void> {
  await service?.close();
  await engine?.close();
  tray?.destroy();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  lockWebContents();
  // Windows shows notifications only for an app with an AppUserModelID (the installer's appId).
  if (process.platform === 'win32') app.setAppUserModelId('app.ferry.desktop');
  app.on('second-instance', () => showWindow(win));
  app.on('activate', () => showWindow(win));
  // The window only hides; Ferry keeps receiving until Quit.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (e) => {
    quitting = true;
    if (stopped) return;
    e.preventDefault();
    stopping ??= stop()
      .catch((err) => log.log('error', 'shutdown failed', { error: String(err) }))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  app
    .whenReady()
    .then(start)
    .catch(async (err) => {
      const message = err instanceof Error ? err.message : String(err);
      log.log('error', 'Ferry could not start', { error: message });
      // Started from a menu there is no terminal: say it in a window.
      dialog.showErrorBox('Ferry could not start', message);
      await stop().catch(() => undefined);
      app.exit(1);
    });
}
