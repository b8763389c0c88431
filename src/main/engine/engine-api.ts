// The engine's public face: what the Electron shell, the CLI, the e2e bridge and the tests use.
// Implemented by Engine (engine.ts). Plain Node; never imports electron.
import type { DiscoveryHint } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import type {
  AcceptPolicy,
  DeviceType,
  Identity,
  IncomingOffer,
  KnownDevice,
  OfferDecision,
  Peer,
  TransferProgress,
  TransferSnapshot,
} from '../../shared/types';
import type { Logger } from './log';

export interface EngineOptions {
  /** Identity, known devices, transfer state. Created if missing. */
  stateDir: string;
  /** Where received files go, and nowhere else. Created if missing. */
  downloadDir: string;
  name: string;
  deviceType?: DeviceType;
  /** TCP port for the TLS server; 0 picks a free one. */
  port?: number;
  /** Address to bind; default '::' (all, dual stack) falling back to '0.0.0.0'. */
  host?: string;
  acceptPolicy?: AcceptPolicy;
  /** Multicast discovery; off for CLI send-by-address and most tests. */
  discovery?: boolean | DiscoveryOptions;
  /** How long a sender keeps reconnecting after a drop. Default RECONNECT_WINDOW_MS. */
  reconnectWindowMs?: number;
  logger?: Logger;
}

export interface DiscoveryOptions {
  port?: number;
  /** Restrict to these interface names (tests in namespaces). */
  interfaces?: string[];
  /** Look for peers without announcing this device (lookups such as `ferry peers`). */
  listenOnly?: boolean;
  /** How long with nobody found before the discovery hint (default 10 s). */
  hintAfterMs?: number;
}

/** Where to send: a discovered or known peer by fingerprint or name, or an address. */
export type SendTarget =
  | { fingerprint: string }
  | { name: string }
  | { host: string; port: number; fingerprint?: string };

export interface SendRequest {
  to: SendTarget;
  /** Files and folders; folders are sent with their structure. */
  paths: string[];
}

export interface EngineEvents {
  peerUpserted: (peer: Peer) => void;
  peerRemoved: (fingerprint: string) => void;
  devicesChanged: (devices: KnownDevice[]) => void;
  /** Any change other than bytes: state, files, error. Emitted at once. */
  transferUpserted: (t: TransferSnapshot) => void;
  /** Byte progress, emitted as data moves (uncoalesced; consumers throttle). */
  transferProgress: (p: TransferProgress) => void;
  transferRemoved: (id: string) => void;
  /** An offer waits for respond() (policy 'ask', or 'trusted' from an untrusted sender). */
  offerReceived: (offer: IncomingOffer) => void;
  offerClosed: (transferId: string) => void;
  /** Discovery found nobody for a while (what to check), or null once someone shows up. */
  discoveryHint: (hint: DiscoveryHint | null) => void;
  /** Something went wrong outside any transfer (bind failed, discovery socket error...). */
  error: (err: ErrorInfo) => void;
}

export interface EngineApi {
  readonly identity: Identity;
  /** Starts listening (and discovering). Resolves once the port is bound. */
  start(): Promise<void>;
  /** Stops cleanly: goodbye on discovery, close connections, keep partial transfers for later. */
  close(): Promise<void>;

  send(req: SendRequest): Promise<TransferSnapshot>;
  respond(transferId: string, decision: OfferDecision): void;
  pause(transferId: string): void;
  resume(transferId: string): void;
  cancel(transferId: string): void;
  /** Starts a failed/cancelled outgoing transfer again; resumes from what the receiver has. */
  retry(transferId: string): Promise<TransferSnapshot>;
  /** Forgets finished transfers (completed, rejected, cancelled, failed). */
  clearFinished(): void;
  transfers(): TransferSnapshot[];
  /** Bytes, speed and ETA of each transfer that is moving, without the file lists: cheap to poll. */
  progress(): TransferProgress[];
  pendingOffers(): IncomingOffer[];

  peers(): Peer[];
  /** Why discovery may be finding nobody; null while peers are found or discovery is off. */
  discoveryHint(): DiscoveryHint | null;
  /** Adds a peer by 'host[:port]': connects, learns its identity, remembers it. */
  addPeer(address: string): Promise<Peer>;
  removePeer(fingerprint: string): void;
  devices(): KnownDevice[];
  trust(fingerprint: string): void;
  untrust(fingerprint: string): void;
  /** 6-digit code from both fingerprints; the same on both screens. */
  pairingCode(peerFingerprint: string): string;

  setName(name: string): void;
  setAcceptPolicy(policy: AcceptPolicy): void;
  setDownloadDir(dir: string): void;

  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this;
  off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this;
}
