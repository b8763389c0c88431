// window.ferry: the FerryApi of src/shared/api.ts and nothing more. One invoke per call,
// subscriptions only to the contract's events; ipcRenderer itself never leaves this file.
// Sandboxed preloads cannot require local modules, so scripts/build.mjs bundles this file.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_CALLS, API_EVENTS, GRANT_PATH_CHANNEL, callChannel, eventChannel } from '../shared/api';
import type { ApiEventName, ApiEvents, DroppedFile, FerryApi } from '../shared/api';
import { buildApi } from './build-api';

const api: FerryApi = buildApi({
  calls: API_CALLS,
  events: API_EVENTS,
  invoke: (name, args) => ipcRenderer.invoke(callChannel(name), ...args),
  subscribe: <E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void) => {
    const listener = (_e: IpcRendererEvent, payload: ApiEvents[E]) => handler(payload);
    ipcRenderer.on(eventChannel(event), listener);
    return () => void ipcRenderer.removeListener(eventChannel(event), listener);
  },
  // File.path is gone in current Electron; webUtils is the supported way. Main learns the path
  // before the page can use it (sync), so only really dropped files can be sent.
  pathForFile: (file: DroppedFile) => {
    const path = webUtils.getPathForFile(file as File);
    if (path) ipcRenderer.sendSync(GRANT_PATH_CHANNEL, path);
    return path;
  },
});

contextBridge.exposeInMainWorld('ferry', api);
