// One ipcMain.handle per API call, each refusing senders other than our window's top page;
// AppService events go to the window as webContents.send(eventChannel(name)).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { API_CALLS, GRANT_PATH_CHANNEL, callChannel, eventChannel, type Result } from '../shared/api';
import { ErrorCode } from '../shared/errors';
import type { AppService } from './engine/app/app-service';
import { isTrustedSender } from './sender-check';

const REFUSED: Result<never> = {
  ok: false,
  error: { code: ErrorCode.INVALID_ARGUMENT, message: 'This call is only accepted from the Ferry window.' },
};

export function registerIpc(service: AppService, window: () => BrowserWindow | null, indexUrl: string): () => void {
  const trusted = (e: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => {
    const win = window();
    return isTrustedSender(
      { webContentsId: e.sender.id, frameUrl: e.senderFrame?.url ?? null, isMainFrame: e.senderFrame?.parent === null },
      win && !win.isDestroyed() ? { webContentsId: win.webContents.id, indexUrl } : null,
    );
  };
  for (const name of API_CALLS) {
    ipcMain.handle(callChannel(name), (e, ...args: unknown[]) => (trusted(e) ? service.call(name, args) : REFUSED));
  }
  // Paths of dropped files, from the preload (sendSync: it must land before the sendPaths call).
  ipcMain.on(GRANT_PATH_CHANNEL, (e, path: unknown) => {
    if (trusted(e)) service.grantPath(path);
    e.returnValue = null; // a sendSync waits for this
  });
  const off = service.onEvent((name, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(eventChannel(name), payload);
  });
  return () => {
    off();
    for (const name of API_CALLS) ipcMain.removeHandler(callChannel(name));
    ipcMain.removeAllListeners(GRANT_PATH_CHANNEL);
  };
}
