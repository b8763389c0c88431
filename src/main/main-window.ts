// The single app window. Closing it hides it (Ferry keeps receiving); only Quit ends the app.
import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import type { AppPaths } from './main-window-paths';
import { windowOptions } from './window-options';

export function createMainWindow(paths: AppPaths, isQuitting: () => boolean): BrowserWindow {
  const win = new BrowserWindow(windowOptions(paths.preload, join(paths.assets, 'icon.png')));
  win.removeMenu();
  win.once('ready-to-show', () => win.show());
  win.on('close', (e) => {
    if (isQuitting()) return;
    e.preventDefault();
    win.hide();
  });
  void win.loadFile(paths.index);
  return win;
}

export function showWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
