/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it stands in for a CommonJS module */
// A stand-in for the `electron` module (the Electron binary cannot run here): just enough of
// app, BrowserWindow, ipcMain, session, Tray... to run the built main bundle under Node and
// record what the shell asked for. Only the Electron binary is replaced; the engine is real.
const { EventEmitter } = require('node:events');

const calls = { handlers: new Map(), windows: [], trays: [], session: {}, quitCount: 0, exitCode: null, notifications: [] };

class App extends EventEmitter {
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    calls.quitCount++;
    const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', e);
    if (!e.defaultPrevented) calls.quitDone = true;
  }
  exit(code) {
    calls.exitCode = code;
  }
  getLocale() {
    return 'en-US';
  }
  getPath(name) {
    return `/nonexistent/${name}`;
  }
}
const app = new App();

let nextId = 1;
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextId++;
    this.sent = [];
    this.openHandler = null;
  }
  send(channel, payload) {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(h) {
    this.openHandler = h;
  }
}

class BrowserWindow extends EventEmitter {
  constructor(opts) {
    super();
    this.opts = opts;
    this.webContents = new WebContents();
    this.visible = false;
    calls.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  removeMenu() {}
  loadFile(p) {
    this.loaded = p;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  isFocused() {
    return false;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
}

class Tray {
  constructor(image) {
    this.image = image;
    calls.trays.push(this);
  }
  setToolTip(t) {
    this.tooltip = t;
  }
  setContextMenu(m) {
    this.menu = m;
  }
  on() {}
  destroy() {
    this.destroyed = true;
  }
}

class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(o) {
    super();
    this.o = o;
  }
  show() {
    calls.notifications.push(this.o);
  }
}

module.exports = {
  app,
  BrowserWindow,
  Tray,
  Notification,
  ipcMain: {
    handle: (ch, fn) => calls.handlers.set(ch, fn),
    removeHandler: (ch) => calls.handlers.delete(ch),
    on: (ch, fn) => calls.handlers.set(`on:${ch}`, fn),
    removeAllListeners: (ch) => calls.handlers.delete(`on:${ch}`),
  },
  session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived: (fn) => (calls.session.headers = fn),
        onBeforeRequest: (fn) => (calls.session.before = fn),
      },
      setPermissionRequestHandler: (fn) => (calls.session.permissionRequest = fn),
      setPermissionCheckHandler: (fn) => (calls.session.permissionCheck = fn),
    },
  },
  Menu: { buildFromTemplate: (template) => ({ template }) },
  nativeImage: { createFromPath: (path) => ({ path }) },
  dialog: {
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showErrorBox: (title, content) => (calls.errorBoxes ??= []).push({ title, content }),
  },
  shell: { openPath: async () => '', showItemInFolder: () => undefined },
  nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
  __calls: calls,
};
