// Lock-down beyond the window options: CSP header, no permissions, no navigation, no new windows,
// no webviews. Applied to every webContents, so nothing created later slips through.
import { app, session, type WebContents } from 'electron';
import { CSP, isLocalRequest } from './content-policy';

export function installSessionPolicy(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // Ferry needs no camera, notifications-from-page, geolocation, clipboard... nothing.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Nothing remote is ever loaded: refuse every request that is not a local file.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isLocalRequest(details.url) });
  });
}

export function lockWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
