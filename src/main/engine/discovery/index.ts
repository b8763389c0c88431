// Discovery: announce-and-answer on a link-local multicast group (docs/PROTOCOL.md, section 10),
// plus peers added by address, merged into one peer list.
//
//   const d = new Discovery({ identity, knownDevices, probe, stateDir });
//   d.on('peerUpserted', (p) => ...).on('peerRemoved', (fp) => ...).on('hint', (h) => ...);
//   await d.start(); ... await d.stop(); // stop says goodbye
import type { RemoteInfo } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { DiscoveryHint } from '../../../shared/api';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { ANNOUNCE_INTERVAL_MS, DISCOVERY_PORT, PEER_TTL_MS, PROTOCOL_VERSION } from '../../../shared/protocol';
import type { DeviceType, Peer } from '../../../shared/types';
import { silentLogger, type Logger } from '../log';
import { decodeAnnouncement, encodeAnnouncement, type PacketKind } from './announcement';
import { AnswerLimiter, DEFAULT_ANSWER_LIMITS } from './answer-limiter';
import { InterfaceWatcher, linkOf, type Link } from './interfaces';
import { ManualPeers, type Probe } from './manual-peers';
import { MulticastSockets } from './multicast';
import { PeerRegistry, type KnownDevicesView } from './registry';

export type { Probe, ProbeResult } from './manual-peers';
export type { KnownDevicesView } from './registry';

export interface DiscoveryIdentity {
  fingerprint: string;
  name: string;
  deviceType: DeviceType;
  /** TCP port of our TLS server, as announced. */
  port: number;
}

export interface DiscoveryTiming {
  announceIntervalMs: number;
  peerTtlMs: number;
  /** Delays of the start burst (queries), from when a link comes up. */
  burstMs: number[];
  /** How long with nobody found before the hint. */
  hintAfterMs: number;
  interfacePollMs: number;
  manualCheckMs: number;
  sweepMs: number;
}

export const DEFAULT_TIMING: DiscoveryTiming = {
  announceIntervalMs: ANNOUNCE_INTERVAL_MS,
  peerTtlMs: PEER_TTL_MS,
  burstMs: [0, 300, 1_000],
  hintAfterMs: 10_000,
  interfacePollMs: 2_500,
  manualCheckMs: 10_000,
  sweepMs: 1_000,
};

export interface DiscoveryConfig {
  identity: DiscoveryIdentity;
  stateDir: string;
  knownDevices?: KnownDevicesView;
  /** TLS hello used to add and check peers by address; without it addManual fails. */
  probe?: Probe;
  /** UDP port. Default DISCOVERY_PORT. */
  port?: number;
  /** Interface names to use; default env FERRY_DISCOVERY_INTERFACES, else every non-internal one. */
  interfaces?: string[];
  /** false: no multicast at all, only peers added by address. */
  multicast?: boolean;
  /** Look for peers without announcing ourselves: queries only, no announce, no goodbye. */
  listenOnly?: boolean;
  timing?: Partial<DiscoveryTiming>;
  logger?: Logger;
}

export interface DiscoveryStats {
  sent: Record<PacketKind, number>;
  received: number;
  dropped: number;
}

export class Discovery extends EventEmitter {
  readonly port: number;
  private readonly identity: DiscoveryIdentity;
  private readonly timing: DiscoveryTiming;
  private readonly only: string[] | undefined;
  private readonly logger: Logger;
  private readonly registry: PeerRegistry;
  private readonly limiter: AnswerLimiter;
  private readonly watcher: InterfaceWatcher;
  private readonly manualPeers: ManualPeers;
  private sockets: MulticastSockets | null = null;
  private instanceId = '';
  private timers: NodeJS.Timeout[] = [];
  private hintTimer: NodeJS.Timeout | null = null;
  private currentHint: DiscoveryHint | null = null;
  private running = false;
  private readonly counters: DiscoveryStats = { sent: { announce: 0, answer: 0, goodbye: 0, query: 0 }, received: 0, dropped: 0 };

  constructor(private readonly config: DiscoveryConfig) {
    super();
    this.identity = { ...config.identity };
    this.timing = { ...DEFAULT_TIMING, ...config.timing };
    this.port = config.port ?? DISCOVERY_PORT;
    this.only = config.interfaces ?? interfacesFromEnv();
    this.logger = config.logger ?? silentLogger;
    this.registry = new PeerRegistry({
      knownDevices: config.knownDevices,
      ttlMs: this.timing.peerTtlMs,
      onError: (err) => this.logger.log('warn', 'discovery: known devices failed', { error: (err as Error).message }),
    });
    this.registry.on('upserted', (p: Peer) => this.onUpserted(p));
    this.registry.on('removed', (fp: string) => {
      this.emit('peerRemoved', fp);
      this.armHint();
    });
    this.limiter = new AnswerLimiter({ ...DEFAULT_ANSWER_LIMITS, perAnnouncerMs: this.timing.announceIntervalMs });
    this.watcher = new InterfaceWatcher(this.only, this.timing.interfacePollMs);
    this.watcher.on('added', (l: Link) => void this.linkUp(l));
    this.watcher.on('removed', (l: Link) => this.sockets?.removeLink(l));
    this.manualPeers = new ManualPeers({
      stateDir: config.stateDir,
      probe: config.probe ?? noProbe,
      registry: this.registry,
      logger: this.logger,
      self: config.identity.fingerprint,
      intervalMs: this.timing.manualCheckMs,
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.instanceId = randomBytes(8).toString('hex');
    if (this.config.multicast !== false) {
      this.sockets = new MulticastSockets(this.port, (buf, from) => this.onPacket(buf, from), this.logger);
      this.sockets.on('error', (err: Error) => this.fail(err));
      this.watcher.start();
      if (!this.config.listenOnly) this.every(jittered(this.timing.announceIntervalMs), () => void this.send('announce', false));
    }
    this.every(this.timing.sweepMs, () => this.registry.sweep());
    this.armHint();
    await this.manualPeers.start();
  }

  /** Says goodbye on every link, then closes everything. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = null;
    this.currentHint = null;
    this.watcher.stop();
    if (this.sockets) {
      if (!this.config.listenOnly) await this.send('goodbye', false);
      this.sockets.close();
      this.sockets = null;
    }
    await this.manualPeers.stop();
  }

  peers(): Peer[] {
    return this.registry.peers();
  }

  hint(): DiscoveryHint | null {
    return this.currentHint;
  }

  stats(): DiscoveryStats {
    return { ...this.counters, sent: { ...this.counters.sent } };
  }

  /** Adds a peer by 'host[:port]' (probed first); remembered across restarts. */
  async addManual(address: string): Promise<Peer> {
    const info = await this.manualPeers.add(address);
    const peer = this.registry.get(info.fingerprint);
    if (!peer) throw new FerryError(ErrorCode.LIMIT, 'Too many peers to list another one');
    return peer;
  }

  async removeManual(fingerprint: string): Promise<void> {
    if (!(await this.manualPeers.remove(fingerprint))) {
      throw new FerryError(ErrorCode.NOT_FOUND, `No peer added by address has fingerprint ${fingerprint.slice(0, 12)}…`);
    }
  }

  /** A rename is announced at once, so peers show it within a round trip. */
  setName(name: string): void {
    this.identity.name = name;
    if (this.running && !this.config.listenOnly) void this.send('announce', false);
  }

  /** Trust changed in KnownDevices: re-emit peers whose flags changed. */
  refreshTrust(): void {
    this.registry.refresh();
  }

  private async linkUp(link: Link): Promise<void> {
    const sockets = this.sockets;
    if (!sockets || !(await sockets.addLink(link))) return;
    this.logger.log('info', 'discovery: using interface', { iface: link.name, address: link.address });
    // A burst of queries: everyone already there answers, so we learn the link within a round trip.
    for (const ms of this.timing.burstMs) {
      const kind = this.config.listenOnly ? 'query' : 'announce';
      const t = setTimeout(() => this.running && void this.send(kind, true, link), ms);
      t.unref();
    }
  }

  private async send(kind: PacketKind, query: boolean, only?: Link): Promise<void> {
    if (!this.sockets) return;
    this.counters.sent[kind] += await this.sockets.multicast(this.packet(kind, query), only);
  }

  private packet(kind: PacketKind, query: boolean): Buffer {
    const { fingerprint, name, deviceType, port } = this.identity;
    return encodeAnnouncement({ kind, query, fingerprint, instanceId: this.instanceId, name, deviceType, port, protocolVersion: PROTOCOL_VERSION });
  }

  private onPacket(buf: Buffer, from: RemoteInfo): void {
    this.counters.received++;
    const a = decodeAnnouncement(buf);
    // Our own datagrams come back through multicast loopback; a stranger claiming our fingerprint is ignored too.
    const foreign = this.only === undefined || linkOf(this.watcher.links(), from.address) !== undefined;
    if (!a || !foreign || a.fingerprint === this.identity.fingerprint || !this.running) {
      if (!a || !foreign) this.counters.dropped++;
      return;
    }
    if (a.kind === 'goodbye') return this.registry.goodbye(a.fingerprint, a.instanceId);
    const { kind: _k, query: _q, ...sighting } = a;
    if (a.kind !== 'query') this.registry.heard({ ...sighting, address: from.address });
    if (a.query && a.kind !== 'answer' && this.limiter.allow(from.address, `${a.fingerprint}/${a.instanceId}`)) {
      this.counters.sent.answer++;
      void this.sockets?.unicast(this.packet('answer', false), from);
    }
  }

  private onUpserted(p: Peer): void {
    if (p.online) this.clearHint();
    else this.armHint();
    this.emit('peerUpserted', p);
  }

  /** Starts the countdown to the hint while nobody is online (at start, and after the last one left). */
  private armHint(): void {
    // Without multicast nothing is being looked for, so there is nothing to explain.
    if (!this.running || this.config.multicast === false || this.hintTimer || this.currentHint || this.registry.peers().some((p) => p.online)) return;
    this.hintTimer = setTimeout(() => this.maybeHint(), this.timing.hintAfterMs);
    this.hintTimer.unref();
  }

  private maybeHint(): void {
    this.hintTimer = null;
    if (!this.running || this.registry.peers().some((p) => p.online)) return;
    const interfaces = [...new Set(this.watcher.links().map((l) => l.name))];
    this.currentHint = { port: this.port, interfaces };
    this.emit('hint', this.currentHint);
  }

  private clearHint(): void {
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = null;
    if (!this.currentHint) return;
    this.currentHint = null;
    this.emit('hint', null);
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Only when someone listens: an unheard 'error' event would throw and take the app down. */
  private fail(err: Error): void {
    const message = `Discovery cannot use UDP port ${this.port} (${err.message}); peers can still be added by address`;
    if (this.listenerCount('error') > 0) this.emit('error', new FerryError(ErrorCode.IO, message, { cause: err }));
  }
}

function interfacesFromEnv(): string[] | undefined {
  const names = (process.env.FERRY_DISCOVERY_INTERFACES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.length ? names : undefined;
}

/** Nodes started together should not announce in lockstep forever. */
function jittered(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.1));
}

const noProbe: Probe = async () => {
  throw new FerryError(ErrorCode.INTERNAL, 'Adding peers by address is not available (no probe configured)');
};
