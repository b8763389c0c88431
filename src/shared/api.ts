// The app API contract: everything the renderer may call, and every event it receives.
// The preload implements it over IPC in Electron; e2e tests implement it over a WebSocket
// to a real engine (the only stand-in: the Electron IPC hop). The renderer sees nothing else.
import type { ErrorInfo } from './errors';
import type {
  Identity,
  IncomingOffer,
  KnownDevice,
  OfferDecision,
  Peer,
  Settings,
  TransferProgress,
  TransferSnapshot,
} from './types';

/** Everything the UI needs on start; events keep it current afterwards. */
export interface AppSnapshot {
  identity: Identity;
  settings: Settings;
  peers: Peer[];
  devices: KnownDevice[];
  transfers: TransferSnapshot[];
  offers: IncomingOffer[];
  /** Why discovery may be failing, when it found nothing; null when fine. */
  discoveryHint: DiscoveryHint | null;
  /** The OS language and colour scheme, for 'system' settings. */
  system: { language: string; dark: boolean };
}

export interface DiscoveryHint {
  port: number;
  interfaces: string[];
}

/** Calls return a Result so that errors keep their code across the IPC hop. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Invoke-style calls: name -> [argument tuple, return value]. One IPC channel per call. */
export interface ApiCalls {
  getSnapshot: [[], AppSnapshot];
  sendPaths: [[peerFingerprint: string, paths: string[]], TransferSnapshot];
  /** Opens the native file picker in main, then sends what was picked (null when dismissed). */
  pickAndSend: [[peerFingerprint: string], TransferSnapshot | null];
  addPeer: [[address: string], Peer];
  removePeer: [[fingerprint: string], void];
  respondToOffer: [[transferId: string, decision: OfferDecision], void];
  pauseTransfer: [[transferId: string], void];
  resumeTransfer: [[transferId: string], void];
  cancelTransfer: [[transferId: string], void];
  retryTransfer: [[transferId: string], TransferSnapshot];
  clearFinished: [[], void];
  /** Only for files Ferry itself received; anything else is refused. */
  openReceived: [[transferId: string, fileIndex: number], void];
  showReceivedInFolder: [[transferId: string, fileIndex: number], void];
  updateSettings: [[patch: Partial<Settings>], Settings];
  /** Opens the native folder picker; returns the new settings, or null when dismissed. */
  pickDownloadDir: [[], Settings | null];
  trustDevice: [[fingerprint: string], void];
  untrustDevice: [[fingerprint: string], void];
  pauseAll: [[], void];
}
export type ApiCallName = keyof ApiCalls;

/** Pushed events: name -> payload. */
export interface ApiEvents {
  peerUpserted: Peer;
  peerRemoved: { fingerprint: string };
  devicesChanged: KnownDevice[];
  transferUpserted: TransferSnapshot;
  /** Coalesced: at most ~10 per second per transfer. Final states come as transferUpserted at once. */
  transferProgress: TransferProgress;
  transferRemoved: { id: string };
  offerReceived: IncomingOffer;
  offerClosed: { transferId: string };
  settingsChanged: Settings;
  discoveryHint: DiscoveryHint | null;
}
export type ApiEventName = keyof ApiEvents;

export const API_CALLS: readonly ApiCallName[] = [
  'getSnapshot',
  'sendPaths',
  'pickAndSend',
  'addPeer',
  'removePeer',
  'respondToOffer',
  'pauseTransfer',
  'resumeTransfer',
  'cancelTransfer',
  'retryTransfer',
  'clearFinished',
  'openReceived',
  'showReceivedInFolder',
  'updateSettings',
  'pickDownloadDir',
  'trustDevice',
  'untrustDevice',
  'pauseAll',
];
export const API_EVENTS: readonly ApiEventName[] = [
  'peerUpserted',
  'peerRemoved',
  'devicesChanged',
  'transferUpserted',
  'transferProgress',
  'transferRemoved',
  'offerReceived',
  'offerClosed',
  'settingsChanged',
  'discoveryHint',
];

/** IPC channel names are derived, never typed by hand. */
export const callChannel = (name: ApiCallName): string => `ferry:call:${name}`;
export const eventChannel = (name: ApiEventName): string => `ferry:event:${name}`;
/**
 * Not part of FerryApi: the preload (and the e2e shim) report each path getPathForFile gave out,
 * i.e. each file the user really dropped. sendPaths accepts only such paths, so a compromised
 * page cannot send arbitrary files from the disk.
 */
export const GRANT_PATH_CHANNEL = 'ferry:grant-path';

type Fn<C extends ApiCallName> = (...args: ApiCalls[C][0]) => Promise<Result<ApiCalls[C][1]>>;

/** What `window.ferry` offers the renderer. */
export type FerryApi = { [C in ApiCallName]: Fn<C> } & {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void;
  /** Path of a dropped File (Electron: webUtils.getPathForFile). '' when it has none. */
  getPathForFile(file: DroppedFile): string;
};

/** The part of a DOM File the contract needs; shared code stays DOM-free. */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}
