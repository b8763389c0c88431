// The Platform of AppService in Electron: native dialogs, shell, notifications, OS look.
// AppService has already checked every path that reaches openPath / showItemInFolder.
import { app, dialog, nativeTheme, Notification, shell, type BrowserWindow } from 'electron';
import { ErrorCode, FerryError } from '../shared/errors';
import type { Platform } from './engine/app/platform';

export class ElectronPlatform implements Platform {
  constructor(
    private readonly window: () => BrowserWindow | null,
    private readonly showWindow: () => void,
  ) {}

  get system() {
    return { language: app.getLocale() || 'en', dark: nativeTheme.shouldUseDarkColors };
  }

  async pickFiles(): Promise<string[] | null> {
    const win = this.window();
    // Only macOS can offer files and folders in one dialog; elsewhere asking for both shows folders only.
    const properties: Electron.OpenDialogOptions['properties'] =
      process.platform === 'darwin' ? ['openFile', 'openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'];
    const opts: Electron.OpenDialogOptions = { title: 'Choose files to send', properties };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
  }

  async pickDirectory(): Promise<string | null> {
    const win = this.window();
    const opts: Electron.OpenDialogOptions = { title: 'Choose the download folder', properties: ['openDirectory', 'createDirectory'] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  }

  async openPath(p: string): Promise<void> {
    const problem = await shell.openPath(p);
    if (problem) throw new FerryError(ErrorCode.IO, `Could not open ${p}: ${problem}`);
  }

  showItemInFolder(p: string): void {
    shell.showItemInFolder(p);
  }

  notify(title: string, body: string): void {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body, silent: false });
    n.on('click', () => this.showWindow());
    n.show();
  }

  isFocused(): boolean {
    const win = this.window();
    return !!win && !win.isDestroyed() && win.isVisible() && win.isFocused();
  }
}
