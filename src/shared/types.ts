// Plain data shared by engine, shell, renderer and CLI. No behaviour, no Node, no DOM.
import type { ErrorInfo } from './errors';

export type DeviceType = 'desktop' | 'laptop' | 'server';
export type AcceptPolicy = 'ask' | 'trusted' | 'all';
export type Direction = 'in' | 'out';

/** A device seen by discovery, added by address, or remembered from before. */
export interface Peer {
  /** The device fingerprint: hex SHA-256 of its certificate (DER). Stable identity. */
  fingerprint: string;
  name: string;
  deviceType: DeviceType;
  /** Best address to reach it (IPv4 or IPv6 literal, no brackets). */
  address: string;
  port: number;
  protocolVersion: number;
  online: boolean;
  /** 'multicast' when discovered, 'manual' when the user added it by address. */
  source: 'multicast' | 'manual';
  trusted: boolean;
  /** A known device name now appears with another fingerprint: never trusted silently. */
  fingerprintChanged: boolean;
  lastSeen: number; // ms since epoch
}

export interface KnownDevice {
  fingerprint: string;
  name: string;
  lastAddress: string;
  lastPort: number;
  lastSeen: number;
  trusted: boolean;
}

export type TransferState =
  | 'awaiting-accept'
  | 'transferring'
  | 'paused'
  | 'reconnecting'
  | 'completed'
  | 'rejected'
  | 'cancelled'
  | 'failed';

export const FINAL_STATES: readonly TransferState[] = ['completed', 'rejected', 'cancelled', 'failed'];

/** `staged`: received and verified inside a folder that is not in place yet (it appears whole when the transfer ends). */
export const FILE_STATES = ['pending', 'transferring', 'verifying', 'staged', 'completed', 'skipped', 'failed'] as const;
export type FileState = (typeof FILE_STATES)[number];

export interface FileProgress {
  index: number;
  /** Relative path with '/' separators, as offered. */
  path: string;
  size: number;
  bytesDone: number;
  state: FileState;
  /** Receiver side, once completed: where the file landed (absolute). */
  savedPath?: string;
  error?: ErrorInfo;
}

export interface PeerRef {
  fingerprint: string;
  name: string;
  address: string;
  port: number;
}

export interface TransferSnapshot {
  id: string;
  direction: Direction;
  peer: PeerRef;
  state: TransferState;
  /** Who paused it, while paused. */
  pausedBy?: 'local' | 'remote';
  files: FileProgress[];
  totalBytes: number;
  bytesDone: number;
  /** Sender side: file bytes this run of the engine put on the wire (less than totalBytes
   *  after a resume; more when data had to be sent again). Absent on the receiver side. */
  bytesSent?: number;
  /** Bytes per second, smoothed; 0 when idle. */
  speed: number;
  /** Seconds left at the current speed; null when unknown. */
  eta: number | null;
  createdAt: number;
  updatedAt: number;
  error?: ErrorInfo;
  /** The 6-digit code from both fingerprints, the one the other side's offer dialog shows. */
  pairingCode: string;
}

/** A progress-only delta, cheap to send often. */
export interface TransferProgress {
  id: string;
  bytesDone: number;
  speed: number;
  eta: number | null;
  /** Only the files whose byte count changed since the last event. */
  files: { index: number; bytesDone: number; state: FileState }[];
}

export interface OfferFile {
  path: string;
  size: number;
}

/** An incoming offer waiting for the user's answer (policy 'ask'). */
export interface IncomingOffer {
  transferId: string;
  peer: PeerRef;
  /** The sender is not a known device. */
  newDevice: boolean;
  /** A known name now arrives with another fingerprint. */
  fingerprintChanged: boolean;
  /** Short code derived from both fingerprints, for a person to compare on both screens. */
  pairingCode: string;
  files: OfferFile[];
  totalBytes: number;
}

export interface OfferDecision {
  accept: boolean;
  /** Indices to accept; all when omitted. */
  files?: number[];
  /** Trust the sender from now on ("always accept from this device"). */
  trust?: boolean;
}

export interface Settings {
  deviceName: string;
  deviceType: DeviceType;
  downloadDir: string;
  acceptPolicy: AcceptPolicy;
  /** 'system' follows the OS. */
  theme: 'system' | 'light' | 'dark';
  /** 'system' follows the OS. */
  language: 'system' | 'en' | 'zh-CN';
}

export interface Identity {
  fingerprint: string;
  name: string;
  port: number;
}
