// The app API contract (src/shared/api.ts) on top of the engine: argument checks, settings,
// progress coalescing, notifications. Plain Node, shared by the Electron shell and the e2e bridge.
import type { ApiCallName, ApiCalls, ApiEventName, ApiEvents, AppSnapshot, Result } from '../../../shared/api';
import { API_CALLS } from '../../../shared/api';
import { ErrorCode, FerryError, toErrorInfo } from '../../../shared/errors';
import { FINAL_STATES } from '../../../shared/types';
import type { IncomingOffer, Settings, TransferSnapshot } from '../../../shared/types';
import type { EngineApi, EngineEvents } from '../engine-api';
import { silentLogger, type Logger } from '../log';
import { makeDirs } from '../util/make-dirs';
import { finishedNote, offerNote } from './notifications';
import type { Platform } from './platform';
import { ProgressCoalescer } from './progress-coalescer';
import { assertOpenable, receivedFilePath } from './received-files';
import { saveSettings } from './settings';
import * as v from './validate';

export type AppEventListener = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void;

export interface AppServiceOptions {
  engine: EngineApi;
  platform: Platform;
  /** Where settings.json is saved. */
  stateDir: string;
  /** The settings the engine was created with (loadSettings). */
  settings: Settings;
  /** sendPaths only for paths given out for a real drop (grantPaths); default true. */
  onlyGrantedPaths?: boolean;
  progressIntervalMs?: number;
  logger?: Logger;
}

type Handlers = { [C in ApiCallName]: (args: unknown[]) => Promise<ApiCalls[C][1]> };

/** How many arguments each call takes; more is refused (a typed record, so none is forgotten). */
const ARITY: Record<ApiCallName, number> = {
  getSnapshot: 0,
  sendPaths: 2,
  pickAndSend: 1,
  addPeer: 1,
  removePeer: 1,
  respondToOffer: 2,
  pauseTransfer: 1,
  resumeTransfer: 1,
  cancelTransfer: 1,
  retryTransfer: 1,
  clearFinished: 0,
  openReceived: 2,
  showReceivedInFolder: 2,
  updateSettings: 1,
  pickDownloadDir: 0,
  trustDevice: 1,
  untrustDevice: 1,
  pauseAll: 0,
};

/** Transfers that pauseAll stops: the ones moving or about to. */
const PAUSABLE = new Set(['transferring', 'reconnecting']);

export class AppService {
  private readonly engine: EngineApi;
  private readonly platform: Platform;
  private readonly log: Logger;
  private settings: Settings;
  private readonly listeners = new Set<AppEventListener>();
  private readonly progress: ProgressCoalescer;
  /** Transfers in a final state: told about once, and no progress after it. */
  private readonly finished = new Set<string>();
  private readonly detach: (() => void)[] = [];
  private saving: Promise<void> = Promise.resolve();
  /** Paths of files the user dropped (insertion order = age). */
  private readonly granted = new Set<string>();

  constructor(private readonly opts: AppServiceOptions) {
    this.engine = opts.engine;
    this.platform = opts.platform;
    this.log = opts.logger ?? silentLogger;
    this.settings = { ...opts.settings };
    this.progress = new ProgressCoalescer((p) => this.emit('transferProgress', p), opts.progressIntervalMs ?? 100);
    this.wireEngine();
  }

  /** Subscribe to API events; returns the unsubscribe function. */
  onEvent(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one API call. Never throws: bad input and engine errors come back as a Result with a code. */
  async call<C extends ApiCallName>(name: C, args: unknown): Promise<Result<ApiCalls[C][1]>> {
    try {
      if (!API_CALLS.includes(name)) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `Unknown call '${String(name).slice(0, 40)}'.`);
      const handler = this.handlers[name] as (args: unknown[]) => Promise<ApiCalls[C][1]>;
      const value = await handler(v.checkArity(args, ARITY[name], name));
      return { ok: true, value };
    } catch (err) {
      const error = toErrorInfo(err);
      if (error.code === ErrorCode.INTERNAL) this.log.log('error', `call ${String(name)} failed`, { error: error.message });
      return { ok: false, error };
    }
  }

  /**
   * Records a path that getPathForFile gave out for a file the user dropped; false when it is not
   * a usable path. Only the preload (or the e2e shim) calls this: the page itself cannot produce
   * a path for a file it did not get from the user.
   */
  grantPath(path: unknown): boolean {
    let p: string;
    try {
      p = v.absPath(path, 'path');
    } catch {
      return false;
    }
    this.granted.delete(p);
    this.granted.add(p);
    if (this.granted.size > v.MAX_GRANTED_PATHS) this.granted.delete(this.granted.values().next().value as string);
    return true;
  }

  getSettings(): Settings {
    return { ...this.settings };
  }

  /** Pauses every moving transfer (tray menu). */
  pauseAll(): void {
    for (const t of this.engine.transfers()) {
      if (!PAUSABLE.has(t.state)) continue;
      try {
        this.engine.pause(t.id);
      } catch (err) {
        this.log.log('warn', 'pause failed', { transfer: t.id, error: toErrorInfo(err).message });
      }
    }
  }

  /** Detaches from the engine and waits for the last settings write. Does not close the engine. */
  async close(): Promise<void> {
    for (const off of this.detach.splice(0)) off();
    this.progress.close();
    this.listeners.clear();
    await this.saving;
  }

  private emit<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (err) {
        this.log.log('warn', 'event listener threw', { event: name, error: toErrorInfo(err).message });
      }
    }
  }

  private snapshot(): AppSnapshot {
    return {
      identity: { ...this.engine.identity },
      settings: this.getSettings(),
      peers: this.engine.peers(),
      devices: this.engine.devices(),
      transfers: this.engine.transfers(),
      offers: this.engine.pendingOffers(),
      discoveryHint: this.engine.discoveryHint(),
      system: { ...this.platform.system },
    };
  }

  // ---- engine events -> API events ----

  private wireEngine(): void {
    const on = <E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]) => {
      this.engine.on(event, listener);
      this.detach.push(() => this.engine.off(event, listener));
    };
    on('peerUpserted', (p) => this.emit('peerUpserted', p));
    on('discoveryHint', (h) => this.emit('discoveryHint', h));
    on('peerRemoved', (fingerprint) => this.emit('peerRemoved', { fingerprint }));
    on('devicesChanged', (d) => this.emit('devicesChanged', d));
    on('transferUpserted', (t) => this.onTransferUpserted(t));
    on('transferProgress', (p) => {
      if (!this.finished.has(p.id)) this.progress.push(p);
    });
    on('transferRemoved', (id) => {
      this.progress.drop(id);
      this.finished.delete(id);
      this.emit('transferRemoved', { id });
    });
    on('offerReceived', (o) => this.onOffer(o));
    on('offerClosed', (transferId) => this.emit('offerClosed', { transferId }));
    on('error', (e) => this.log.log('warn', 'engine error', { code: e.code, error: e.message }));
  }

  private onTransferUpserted(t: TransferSnapshot): void {
    // Pending bytes first, so the UI never sees progress arrive after the final state.
    this.progress.flush(t.id);
    this.emit('transferUpserted', t);
    // A retried transfer leaves its final state; its next ending is news again.
    if (!FINAL_STATES.includes(t.state)) this.finished.delete(t.id);
    else if (!this.finished.has(t.id)) {
      this.finished.add(t.id);
      this.progress.drop(t.id);
      const note = finishedNote(t);
      if (note) this.notify(note.title, note.body);
    }
  }

  private onOffer(o: IncomingOffer): void {
    this.emit('offerReceived', o);
    const note = offerNote(o);
    this.notify(note.title, note.body);
  }

  private notify(title: string, body: string): void {
    if (this.platform.isFocused()) return;
    try {
      this.platform.notify(title, body);
    } catch (err) {
      this.log.log('warn', 'notification failed', { error: toErrorInfo(err).message });
    }
  }

  // ---- lookups that turn unknown ids into NOT_FOUND before the engine sees them ----

  private transfer(args: unknown[], i = 0): TransferSnapshot {
    const tid = v.id(args[i]);
    const t = this.engine.transfers().find((x) => x.id === tid);
    if (!t) throw new FerryError(ErrorCode.NOT_FOUND, `No transfer ${tid}.`);
    return t;
  }

  private knownFingerprint(arg: unknown): string {
    const fp = v.id(arg, 'fingerprint');
    const known = this.engine.peers().some((p) => p.fingerprint === fp) || this.engine.devices().some((d) => d.fingerprint === fp);
    if (!known) throw new FerryError(ErrorCode.NOT_FOUND, `No known device with fingerprint ${fp.slice(0, 16)}.`);
    return fp;
  }

  private grantedOnly(paths: string[]): string[] {
    if (this.opts.onlyGrantedPaths === false) return paths;
    const stray = paths.find((p) => !this.granted.has(p));
    if (stray) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `Ferry sends only files you dropped or picked; ${stray} was neither.`);
    return paths;
  }

  private async send(fingerprint: string, paths: string[]): Promise<TransferSnapshot> {
    return this.engine.send({ to: { fingerprint }, paths });
  }

  private async applySettings(patch: Partial<Settings>): Promise<Settings> {
    if (patch.downloadDir !== undefined) {
      await makeDirs(patch.downloadDir).catch((err: unknown) => {
        throw new FerryError(ErrorCode.IO, `Cannot use ${patch.downloadDir} as the download folder: ${toErrorInfo(err).message}`);
      });
      this.engine.setDownloadDir(patch.downloadDir);
    }
    if (patch.deviceName !== undefined) this.engine.setName(patch.deviceName);
    if (patch.acceptPolicy !== undefined) this.engine.setAcceptPolicy(patch.acceptPolicy);
    this.settings = { ...this.settings, ...patch };
    const snapshot = this.getSettings();
    this.saving = this.saving.then(() =>
      saveSettings(this.opts.stateDir, snapshot).catch((err) =>
        this.log.log('error', 'saving settings failed', { error: toErrorInfo(err).message }),
      ),
    );
    await this.saving;
    this.emit('settingsChanged', snapshot);
    return snapshot;
  }

  // One entry per call; each checks its own arguments. `args` arity is checked in call().
  private readonly handlers: Handlers = {
    getSnapshot: async () => this.snapshot(),
    sendPaths: async (a) => {
      const paths = this.grantedOnly(v.pathList(a[1]));
      return this.send(this.knownFingerprint(a[0]), paths);
    },
    pickAndSend: async (a) => {
      const fp = this.knownFingerprint(a[0]);
      const paths = await this.platform.pickFiles();
      return paths && paths.length ? this.send(fp, paths) : null;
    },
    addPeer: async (a) => this.engine.addPeer(v.str(a[0], 'address', v.MAX_ADDRESS_CHARS).trim()),
    removePeer: async (a) => this.engine.removePeer(this.knownFingerprint(a[0])),
    respondToOffer: async (a) => {
      const tid = v.id(a[0]);
      const offer = this.engine.pendingOffers().find((o) => o.transferId === tid);
      if (!offer) throw new FerryError(ErrorCode.NOT_FOUND, `No offer ${tid} is waiting for an answer.`);
      this.engine.respond(tid, v.decision(a[1], offer.files.length));
    },
    pauseTransfer: async (a) => this.engine.pause(this.transfer(a).id),
    resumeTransfer: async (a) => this.engine.resume(this.transfer(a).id),
    cancelTransfer: async (a) => this.engine.cancel(this.transfer(a).id),
    retryTransfer: async (a) => this.engine.retry(this.transfer(a).id),
    clearFinished: async () => this.engine.clearFinished(),
    openReceived: async (a) => {
      const i = v.index(a[1], 'file index');
      const p = await receivedFilePath(this.transfer(a), i, this.settings.downloadDir);
      assertOpenable(p);
      await this.platform.openPath(p);
    },
    showReceivedInFolder: async (a) => {
      const i = v.index(a[1], 'file index');
      const p = await receivedFilePath(this.transfer(a), i, this.settings.downloadDir);
      this.platform.showItemInFolder(p);
    },
    updateSettings: async (a) => {
      const patch = v.settingsPatch(a[0]);
      // Received files land in the download folder, so only the native picker (the user's own
      // hand) may move it: a compromised page must not redirect incoming files.
      if (patch.downloadDir !== undefined && patch.downloadDir !== this.settings.downloadDir) {
        throw new FerryError(ErrorCode.INVALID_ARGUMENT, 'The download folder is changed with the folder picker (pickDownloadDir).');
      }
      return this.applySettings(patch);
    },
    pickDownloadDir: async () => {
      const dir = await this.platform.pickDirectory();
      return dir ? this.applySettings({ downloadDir: v.absPath(dir, 'download folder') }) : null;
    },
    trustDevice: async (a) => this.engine.trust(this.knownFingerprint(a[0])),
    untrustDevice: async (a) => this.engine.untrust(this.knownFingerprint(a[0])),
    pauseAll: async () => this.pauseAll(),
  };
}
