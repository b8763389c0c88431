// One list of peers, whichever way they were found: heard over multicast, or added by address
// and probed. Keyed by fingerprint. Emits 'upserted' (Peer) when a peer appears or anything
// but lastSeen changes, and 'removed' (fingerprint) when it is gone from both sources.
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { PEER_TTL_MS } from '../../../shared/protocol';
import type { DeviceType, Peer } from '../../../shared/types';

/** The part of KnownDevices the registry needs for the trust flags. */
export interface KnownDevicesView {
  isTrusted(fingerprint: string): boolean;
  nameConflict(name: string, fingerprint: string): boolean;
  upsertSeen(d: { fingerprint: string; name: string; address: string; port: number }): unknown;
}

export interface PeerInfo {
  fingerprint: string;
  name: string;
  deviceType: DeviceType;
  port: number;
  protocolVersion: number;
  /** Where it was heard from / reached at. IPv6 link-local keeps its %scope. */
  address: string;
}

export interface Sighting extends PeerInfo {
  instanceId: string;
}

interface Heard {
  instanceId: string;
  info: PeerInfo;
  lastHeard: number;
  /** Latest address per family, so a dual-stack peer does not flip between v4 and v6. */
  v4?: { address: string; at: number };
  v6?: { address: string; at: number };
}

interface Manual {
  info: PeerInfo;
  online: boolean;
  lastSeen: number;
}

interface Entry {
  heard?: Heard;
  manual?: Manual;
  shown?: Peer;
}

export interface RegistryOptions {
  knownDevices?: KnownDevicesView;
  ttlMs?: number;
  now?: () => number;
  /** Peers tracked at most, so forged announcements cannot grow memory without end. */
  maxPeers?: number;
  onError?: (err: unknown) => void;
}

export class PeerRegistry extends EventEmitter {
  private readonly entries = new Map<string, Entry>();
  /** Runs that said goodbye (fingerprint -> instance id): a datagram of theirs still in flight must not bring them back. */
  private readonly departed = new Map<string, { instanceId: string; at: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxPeers: number;

  constructor(private readonly opts: RegistryOptions = {}) {
    super();
    this.ttlMs = opts.ttlMs ?? PEER_TTL_MS;
    this.now = opts.now ?? Date.now;
    this.maxPeers = opts.maxPeers ?? 512;
  }

  peers(): Peer[] {
    return [...this.entries.values()].flatMap((e) => (e.shown ? [{ ...e.shown }] : []));
  }

  get(fingerprint: string): Peer | undefined {
    const p = this.entries.get(fingerprint)?.shown;
    return p && { ...p };
  }

  /** An announcement or answer was heard. */
  heard(s: Sighting): void {
    if (this.departed.get(s.fingerprint)?.instanceId === s.instanceId) return;
    const entry = this.entry(s.fingerprint);
    if (!entry) return;
    const now = this.now();
    const { instanceId, ...info } = s;
    // A new instance id is a restart: forget the old run's addresses.
    if (!entry.heard || entry.heard.instanceId !== instanceId) entry.heard = { instanceId, info, lastHeard: now };
    const h = entry.heard;
    h.info = info;
    h.lastHeard = now;
    h[isIP(stripScope(s.address)) === 6 ? 'v6' : 'v4'] = { address: s.address, at: now };
    this.publish(s.fingerprint, entry);
  }

  /** A goodbye: only the run that said it is forgotten (a late goodbye from an old run is not). */
  goodbye(fingerprint: string, instanceId: string): void {
    const entry = this.entries.get(fingerprint);
    if (!entry?.heard || entry.heard.instanceId !== instanceId) return;
    this.departed.delete(fingerprint);
    this.departed.set(fingerprint, { instanceId, at: this.now() });
    // Oldest first: the cap keeps forged goodbyes from growing this without end.
    if (this.departed.size > this.maxPeers) this.departed.delete(this.departed.keys().next().value!);
    entry.heard = undefined;
    this.publish(fingerprint, entry);
  }

  /** Sets what a probe of a manual peer found (online), or that it did not answer (online false). */
  manual(info: PeerInfo, online: boolean): void {
    const entry = this.entry(info.fingerprint);
    if (!entry) return;
    const lastSeen = online ? this.now() : (entry.manual?.lastSeen ?? 0);
    entry.manual = { info, online, lastSeen };
    this.publish(info.fingerprint, entry);
  }

  /** The user removed a manual peer; it stays listed only if multicast still hears it. */
  forgetManual(fingerprint: string): void {
    const entry = this.entries.get(fingerprint);
    if (!entry?.manual) return;
    entry.manual = undefined;
    this.publish(fingerprint, entry);
  }

  /** Drops what has not been heard for the TTL. Called on a timer. */
  sweep(): void {
    const now = this.now();
    for (const [fp, d] of this.departed) if (now - d.at >= this.ttlMs) this.departed.delete(fp);
    for (const [fp, entry] of this.entries) {
      const h = entry.heard;
      if (!h) continue;
      if (now - h.lastHeard >= this.ttlMs) entry.heard = undefined;
      else {
        if (h.v4 && now - h.v4.at >= this.ttlMs) h.v4 = undefined;
        if (h.v6 && now - h.v6.at >= this.ttlMs) h.v6 = undefined;
      }
      this.publish(fp, entry);
    }
  }

  /** Trust changed in KnownDevices: recompute the flags and emit what changed. */
  refresh(): void {
    for (const [fp, entry] of this.entries) this.publish(fp, entry);
  }

  private entry(fingerprint: string): Entry | null {
    const existing = this.entries.get(fingerprint);
    if (existing) return existing;
    if (this.entries.size >= this.maxPeers) return null;
    const fresh: Entry = {};
    this.entries.set(fingerprint, fresh);
    return fresh;
  }

  private publish(fingerprint: string, entry: Entry): void {
    const next = this.compose(fingerprint, entry);
    if (!next) {
      this.entries.delete(fingerprint);
      if (entry.shown) this.emit('removed', fingerprint);
      return;
    }
    const before = entry.shown;
    entry.shown = next;
    if (before && sameExceptLastSeen(before, next)) return;
    // Record sightings, not flag flips: KnownDevices writes to disk.
    if (next.online && (!before?.online || before.name !== next.name || before.address !== next.address || before.port !== next.port)) {
      this.remember(next);
    }
    this.emit('upserted', { ...next });
  }

  private compose(fingerprint: string, entry: Entry): Peer | null {
    const { heard, manual } = entry;
    if (!heard && !manual) return null;
    const info = heard ? heard.info : manual!.info;
    // IPv4 first when fresh: it needs no scope id and is what people recognise.
    const address = heard ? (heard.v4?.address ?? heard.v6?.address ?? info.address) : info.address;
    const kd = this.opts.knownDevices;
    return {
      fingerprint,
      name: info.name,
      deviceType: info.deviceType,
      address,
      port: info.port,
      protocolVersion: info.protocolVersion,
      online: heard ? true : manual!.online,
      source: heard ? 'multicast' : 'manual',
      trusted: this.safely(() => kd?.isTrusted(fingerprint) ?? false, false),
      fingerprintChanged: this.safely(() => kd?.nameConflict(info.name, fingerprint) ?? false, false),
      lastSeen: Math.max(heard?.lastHeard ?? 0, manual?.lastSeen ?? 0),
    };
  }

  private remember(p: Peer): void {
    const seen = { fingerprint: p.fingerprint, name: p.name, address: p.address, port: p.port };
    const r = this.safely(() => this.opts.knownDevices?.upsertSeen(seen), undefined);
    if (r instanceof Promise) r.catch((err: unknown) => this.opts.onError?.(err));
  }

  /** KnownDevices is another component: its failure must not stop discovery. */
  private safely<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      this.opts.onError?.(err);
      return fallback;
    }
  }
}

export function stripScope(address: string): string {
  const i = address.indexOf('%');
  return i < 0 ? address : address.slice(0, i);
}

function sameExceptLastSeen(a: Peer, b: Peer): boolean {
  return (Object.keys(a) as (keyof Peer)[]).every((k) => k === 'lastSeen' || a[k] === b[k]);
}
