// The engine facade (EngineApi): one TLS server for incoming transfers, outgoing transfers by
// peer or address, the peer list from discovery, known devices, and the transfer list.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DiscoveryHint } from '../../shared/api';
import { ErrorCode, FerryError, toErrorInfo } from '../../shared/errors';
import { LIMITS } from '../../shared/limits';
import { DEFAULT_PORT, RECONNECT_WINDOW_MS } from '../../shared/protocol';
import type { AcceptPolicy, Identity, IncomingOffer, KnownDevice, OfferDecision, Peer, PeerRef, TransferProgress, TransferSnapshot } from '../../shared/types';
import { Discovery, type ProbeResult } from './discovery';
import type { EngineApi, EngineEvents, EngineOptions, SendRequest, SendTarget } from './engine-api';
import { type DeviceIdentity, loadOrCreateIdentity } from './identity/identity';
import { pairingCode } from './identity/pairing';
import { type Logger, silentLogger } from './log';
import type { AcceptEntry, Msg, MsgOf } from './protocol/messages';
import { KnownDevices } from './store/known-devices';
import { type Connection } from './transport/connection';
import { dial } from './transport/tls-client';
import { FerryServer, type LocalInfo } from './transport/tls-server';
import { IncomingStore, type IncomingState } from './transfer/incoming-store';
import { FinishedIncoming } from './transfer/finished-incoming';
import { type CheckedOffer, OfferCheck } from './transfer/offer-check';
import { OfferParts } from './transfer/offer-parts';
import { OutgoingStore, type OutgoingState } from './transfer/outgoing-store';
import { IncomingTransfer, planTemps } from './transfer/receiver';
import type { RecordSink } from './transfer/record';
import { resumeKeyOf, type Scanned, scanPaths } from './transfer/scan';
import { type OfferLink, OutgoingTransfer } from './transfer/sender';
import { freeBytes } from './util/disk-space';
import { limitHeapGrowth } from './util/heap-growth';
import { makeDirs } from './util/make-dirs';

/** The blocks of every file accepted from its start: one shared empty list, not one per file. */
const NO_BLOCKS: string[] = [];

/** Whether indices is 0..count-1 in order: the whole batch, which needs no sorting or dedup. */
function everyIndex(indices: number[], count: number): boolean {
  if (indices.length !== count) return false;
  for (let i = 0; i < count; i++) if (indices[i] !== i) return false;
  return true;
}

/** Head room kept free on the receiving disk beyond the batch itself. */
const SPACE_MARGIN = 64 * 1024 * 1024;

/** A connection made to a peer, and who answered. */
interface PeerDial {
  conn: Connection;
  peer: PeerRef;
}

/** The connection a send makes while it scans, and the parts of its offer sent on it meanwhile. */
interface EarlyDial {
  dial: Promise<PeerDial>;
  parts: OfferParts;
}

interface Pending {
  t: IncomingTransfer;
  conn: Connection;
  offer: IncomingOffer;
}

export class Engine extends EventEmitter implements EngineApi {
  readonly identity: Identity;
  private readonly log: Logger;
  private server: FerryServer | null = null;
  private discovery: Discovery | null = null;
  private readonly outgoing = new Map<string, OutgoingTransfer>();
  private readonly incoming = new Map<string, IncomingTransfer>();
  private readonly pending = new Map<string, Pending>();
  private readonly inStore: IncomingStore;
  private readonly outStore: OutgoingStore;
  private readonly finished: FinishedIncoming;
  private readonly sink: RecordSink;
  private policy: AcceptPolicy;
  private downloadDir: string;
  private deviceName: string;

  constructor(
    private readonly opts: EngineOptions,
    private readonly id: DeviceIdentity,
    private readonly known: KnownDevices,
  ) {
    super();
    this.log = opts.logger ?? silentLogger;
    this.policy = opts.acceptPolicy ?? 'ask';
    this.downloadDir = opts.downloadDir;
    this.deviceName = opts.name;
    this.identity = { fingerprint: id.fingerprint, name: opts.name, port: opts.port ?? DEFAULT_PORT };
    this.inStore = new IncomingStore(opts.stateDir);
    this.outStore = new OutgoingStore(opts.stateDir);
    this.finished = new FinishedIncoming(opts.stateDir);
    this.sink = {
      upserted: (t) => this.emitSafe('transferUpserted', this.withCode(t)),
      progress: (p) => this.emitSafe('transferProgress', p),
    };
    known.on('changed', () => this.emitSafe('devicesChanged', known.list()));
  }

  override on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.on(event, listener);
  }
  override off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.off(event, listener);
  }

  /** A listener that throws must not break the engine. */
  private emitSafe<E extends keyof EngineEvents>(event: E, ...args: Parameters<EngineEvents[E]>): void {
    try {
      this.emit(event, ...args);
    } catch (err) {
      this.log.log('error', `listener for ${event} threw`, { err: String(err) });
    }
  }

  private local(): LocalInfo {
    return { name: wireName(this.deviceName), deviceType: this.opts.deviceType ?? 'desktop', port: this.identity.port };
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    await makeDirs(this.downloadDir);
    this.server = new FerryServer({
      keyPem: this.id.keyPem,
      certPem: this.id.certPem,
      logger: this.log,
      localInfo: () => this.local(),
      onConnection: (conn, hello) => this.onConnection(conn, hello),
    });
    try {
      this.identity.port = await this.server.listen(this.opts.host, this.opts.port ?? DEFAULT_PORT);
    } catch (err) {
      throw new FerryError(ErrorCode.IO, `Cannot listen on port ${this.opts.port ?? DEFAULT_PORT}: ${(err as Error).message}`, { cause: err });
    }
    await this.restore();
    const d = this.opts.discovery;
    this.discovery = new Discovery({
      identity: { fingerprint: this.id.fingerprint, name: this.deviceName, deviceType: this.local().deviceType, port: this.identity.port },
      stateDir: this.opts.stateDir,
      knownDevices: this.known,
      probe: (host, port) => this.probe(host, port),
      multicast: !!d,
      ...(typeof d === 'object' ? { port: d.port, interfaces: d.interfaces, listenOnly: d.listenOnly, timing: hintTiming(d.hintAfterMs) } : {}),
      logger: this.log,
    });
    this.discovery.on('peerUpserted', (p: Peer) => this.emitSafe('peerUpserted', p));
    this.discovery.on('peerRemoved', (fp: string) => this.emitSafe('peerRemoved', fp));
    this.discovery.on('hint', (h: DiscoveryHint | null) => this.emitSafe('discoveryHint', h));
    this.discovery.on('error', (err: unknown) => this.emitSafe('error', toErrorInfo(err)));
    await this.discovery.start();
    this.log.log('info', 'engine started', { port: this.identity.port, fingerprint: this.id.fingerprint.slice(0, 12) });
  }

  async close(): Promise<void> {
    await this.discovery?.stop().catch(() => undefined);
    for (const t of this.outgoing.values()) t.stop();
    for (const p of this.pending.values()) p.conn.terminate({ code: ErrorCode.CONNECTION_LOST, message: 'Ferry stopped' });
    await Promise.all([...this.incoming.values()].map((t) => t.detach()));
    await Promise.all([...this.outgoing.values()].map((t) => t.saved()));
    await this.finished.saved();
    await this.server?.close();
    this.server = null;
  }

  /** Shows transfers interrupted by the last stop: incoming ones resume when the sender returns. */
  private async restore(): Promise<void> {
    await this.finished.load();
    for (const { state, journal } of await this.inStore.loadAll()) {
      if (this.incoming.has(state.transferId)) continue;
      const t = new IncomingTransfer(state, this.receiverDeps(state.downloadDir ?? this.downloadDir), journal);
      this.incoming.set(t.id, t);
      t.record.setState('failed', { code: ErrorCode.CONNECTION_LOST, message: 'Interrupted; continues when the sender sends it again' });
    }
    for (const state of await this.outStore.loadAll()) {
      if (this.outgoing.has(state.transferId)) continue;
      const t = this.makeOutgoing(state);
      t.record.setState('failed', state.error ?? { code: ErrorCode.CONNECTION_LOST, message: 'Interrupted when Ferry stopped; retry to continue' });
    }
  }

  // ---- incoming ----

  /** A transfer keeps the download folder it was accepted into, whatever the setting says later. */
  private receiverDeps(downloadDir: string) {
    return {
      downloadDir,
      store: this.inStore,
      sink: this.sink,
      logger: this.log,
      onFinal: (t: IncomingTransfer) => {
        if (t.record.state === 'completed') void this.finished.add({ transferId: t.id, resumeKey: t.state.resumeKey, fingerprint: t.state.peer.fingerprint }, t.savedIndices());
      },
    };
  }

  private onConnection(conn: Connection, hello: MsgOf<'hello'>): void {
    const peer: PeerRef = { fingerprint: conn.peerFingerprint, name: hello.name, address: conn.remoteAddress, port: hello.port };
    this.remember(peer);
    // An offer, after any parts of it: each part is checked on arrival, while its sender still
    // scans. What a check throws fails the connection with its code (Connection.onMessage).
    const check = new OfferCheck();
    const onMessage = (m: Msg) => {
      if (m.t === 'offerPart') return check.add(m.files);
      conn.off('message', onMessage);
      if (m.t !== 'offer') throw new FerryError(ErrorCode.BAD_MESSAGE, `Expected an offer, got ${m.t}`);
      this.onOffer(conn, peer, check.finish(m)).catch((err) => conn.fail(err));
    };
    conn.on('message', onMessage);
  }

  /** Known devices learn every peer we talked to (name, last address). */
  private remember(p: PeerRef): void {
    this.known
      .upsertSeen({ fingerprint: p.fingerprint, name: p.name, address: p.address, port: p.port })
      .catch((err) => this.log.log('warn', 'cannot remember device', { peer: p.fingerprint.slice(0, 12), err: String(err) }));
  }

  private async onOffer(conn: Connection, peer: PeerRef, checked: CheckedOffer): Promise<void> {
    conn.busy = true;
    const offer = checked.offer;
    const same = this.incoming.get(offer.transferId);
    if (same && same.state.peer.fingerprint !== peer.fingerprint) throw new FerryError(ErrorCode.BAD_MESSAGE, 'Transfer id already in use');
    // Same sender, same files, accepted before and not finished. A live transfer is only taken over
    // by its own id (a reconnect that beat our noticing the drop), never by a second send of the same files.
    const resumable = [...this.incoming.values()].find(
      (t) =>
        t.state.peer.fingerprint === peer.fingerprint &&
        t.state.resumeKey === offer.resumeKey &&
        t.state.accepted.length > 0 &&
        (t.record.state === 'failed' || (t.id === offer.transferId && !t.record.final && t.record.state !== 'awaiting-accept')),
    );
    if (resumable) return this.resumeIncoming(conn, peer, resumable, offer);
    if (same?.record.state === 'completed' && same.state.resumeKey === offer.resumeKey) return this.confirmReceived(conn, same.id, same.savedIndices());
    // Completed here before, and since restarted or cleared from the list.
    const saved = same ? null : this.finished.find(offer.transferId, offer.resumeKey, peer.fingerprint);
    if (saved) return this.confirmReceived(conn, offer.transferId, saved.filter((i) => i < offer.files.length));
    if (same) {
      if (!same.record.final) throw new FerryError(ErrorCode.BAD_MESSAGE, 'That transfer is already in progress');
      this.forgetIncoming(same);
    }
    if (this.tooManyPending(peer)) {
      conn.send({ t: 'reject', transferId: offer.transferId, code: ErrorCode.LIMIT, message: 'Too many offers are waiting for an answer' });
      conn.close();
      return;
    }
    const state: IncomingState = {
      v: 1,
      transferId: offer.transferId,
      resumeKey: offer.resumeKey,
      peer,
      files: offer.files,
      dirs: checked.dirs,
      downloadDir: this.downloadDir,
      accepted: [],
      targets: Object.fromEntries(checked.targets.map((t, i) => [i, t])),
      temps: {},
      createdAt: Date.now(),
    };
    const t = new IncomingTransfer(state, this.receiverDeps(this.downloadDir));
    this.incoming.set(t.id, t);
    t.record.setState('awaiting-accept');
    const trusted = this.known.isTrusted(peer.fingerprint);
    if (this.policy === 'all' || (this.policy === 'trusted' && trusted)) return this.acceptIncoming(t, conn, offer.files.map((_, i) => i));
    const incomingOffer: IncomingOffer = {
      transferId: t.id,
      peer,
      newDevice: !trusted && !this.hasSentBefore(peer.fingerprint, t.id),
      fingerprintChanged: this.known.nameConflict(peer.name, peer.fingerprint),
      pairingCode: pairingCode(this.id.fingerprint, peer.fingerprint),
      files: offer.files.map((f) => ({ path: f.path, size: f.size })),
      totalBytes: offer.totalBytes,
    };
    this.pending.set(t.id, { t, conn, offer: incomingOffer });
    conn.on('closed', () => {
      if (!this.pending.delete(t.id)) return;
      this.emitSafe('offerClosed', t.id);
      t.record.setState('cancelled', { code: ErrorCode.CANCELLED, message: 'The sender withdrew the offer' });
    });
    this.emitSafe('offerReceived', incomingOffer);
  }

  /**
   * The same transfer, offered again after we finished it: its sender stopped before it heard so
   * (killed between our last file and our `done`). Everything is saved: say so, send nothing again,
   * and never save a second copy as "name (1)".
   */
  private confirmReceived(conn: Connection, transferId: string, saved: number[]): void {
    this.log.log('info', 'offer of a transfer already received; confirming it', { peer: conn.peerTag, transfer: transferId });
    conn.send({ t: 'accept', transferId, handle: 0, files: [], done: saved });
    conn.send({ t: 'done' });
    conn.busy = false;
    conn.close();
  }

  private async resumeIncoming(conn: Connection, peer: PeerRef, t: IncomingTransfer, offer: MsgOf<'offer'>): Promise<void> {
    if (t.state.files.length !== offer.files.length) throw new FerryError(ErrorCode.BAD_MESSAGE, 'Resumed offer differs from the original');
    await t.detach();
    if (t.id !== offer.transferId) {
      const old = t.id;
      this.incoming.delete(old);
      await t.adoptId(offer.transferId);
      this.incoming.set(t.id, t);
      this.emitSafe('transferRemoved', old);
    }
    t.state.peer = peer;
    t.record.peer = peer;
    const points = await t.resumePoints();
    if (!(await this.enoughSpace(t, conn, points.files))) return;
    this.log.log('info', 'resuming incoming transfer', { peer: conn.peerTag, transfer: t.id });
    await t.startSession(conn, points.files, points.done);
  }

  private async acceptIncoming(t: IncomingTransfer, conn: Connection, indices: number[]): Promise<void> {
    const s = t.state;
    s.accepted = everyIndex(indices, s.files.length) ? indices.slice() : [...new Set(indices)].filter((i) => i >= 0 && i < s.files.length).sort((a, b) => a - b);
    Object.assign(s, planTemps(t.downloadDir, s));
    const files: AcceptEntry[] = s.accepted.map((index) => ({ index, offset: 0, blocks: NO_BLOCKS }));
    if (!(await this.enoughSpace(t, conn, files))) return;
    await t.startSession(conn, files, []);
  }

  private async enoughSpace(t: IncomingTransfer, conn: Connection, files: AcceptEntry[]): Promise<boolean> {
    const need = IncomingTransfer.remaining(t.state, files);
    const free = await freeBytes(t.downloadDir);
    if (free >= need + SPACE_MARGIN) return true;
    const err = { code: ErrorCode.NO_SPACE, message: `Not enough free space in ${t.downloadDir}: ${fmt(need)} needed, ${fmt(free)} free` };
    conn.send({ t: 'reject', transferId: t.id, ...err });
    conn.close();
    t.record.setState('failed', err);
    this.log.log('warn', 'offer refused: no space', { peer: conn.peerTag, transfer: t.id });
    return false;
  }

  respond(transferId: string, decision: OfferDecision): void {
    const p = this.pending.get(transferId);
    if (!p) throw new FerryError(ErrorCode.NOT_FOUND, `No offer ${transferId} is waiting for an answer`);
    this.pending.delete(transferId);
    this.emitSafe('offerClosed', transferId);
    if (decision.trust) this.trust(p.t.state.peer.fingerprint);
    const indices = decision.files ?? p.t.state.files.map((_, i) => i);
    if (!decision.accept || indices.length === 0 && p.t.state.files.length > 0) {
      p.conn.send({ t: 'reject', transferId, code: ErrorCode.REJECTED, message: 'The receiver declined' });
      p.conn.close();
      p.t.record.setState('rejected', { code: ErrorCode.REJECTED, message: 'Declined' });
      return;
    }
    this.acceptIncoming(p.t, p.conn, indices).catch((err) => p.conn.fail(err));
  }

  pendingOffers(): IncomingOffer[] {
    return [...this.pending.values()].map((p) => p.offer);
  }

  private forgetIncoming(t: IncomingTransfer): void {
    this.incoming.delete(t.id);
    this.emitSafe('transferRemoved', t.id);
  }

  // ---- outgoing ----

  async send(req: SendRequest): Promise<TransferSnapshot> {
    const target = this.resolveTarget(req.to);
    if (target.fingerprint === this.id.fingerprint) throw new FerryError(ErrorCode.INVALID_ARGUMENT, 'That is this device; pick another one');
    // Connect while the paths are scanned (10,000 files take ~200 ms, a first TLS connection
    // ~40 ms): the transfer offers on this connection. A failed dial fails the transfer's start.
    const early = this.dialPeer(target);
    early.catch(() => undefined);
    const parts = new OfferParts(early);
    let scanned: Scanned;
    try {
      scanned = await scanPaths(req.paths, (files) => parts.add(files));
    } catch (err) {
      void early.then((d) => d.conn.close(), () => undefined);
      throw err;
    }
    const resumeKey = resumeKeyOf(scanned.files);
    const earlier = await this.interruptedSend(resumeKey, target, early);
    const state: OutgoingState = {
      v: 1,
      transferId: earlier?.id ?? randomUUID(),
      resumeKey,
      peer: target,
      files: scanned.files,
      dirs: scanned.dirs,
      done: earlier?.state.done ?? [],
      createdAt: Date.now(),
    };
    const t = this.makeOutgoing(state, { dial: early, parts });
    await t.start();
    return this.withCode(t.record.snapshot());
  }

  async retry(transferId: string): Promise<TransferSnapshot> {
    const old = this.outgoing.get(transferId);
    if (!old) throw new FerryError(ErrorCode.NOT_FOUND, `No outgoing transfer ${transferId}`);
    if (!old.restartable()) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `Transfer ${transferId} is ${old.record.state}; only failed or cancelled ones can be retried`);
    const addr = this.addressOf(old.state.peer.fingerprint);
    const t = this.makeOutgoing({ ...old.state, peer: { ...old.state.peer, ...addr }, error: undefined });
    await t.start();
    return this.withCode(t.record.snapshot());
  }

  /** `early`: a connection already being made to the peer, used by the first dial. */
  private makeOutgoing(state: OutgoingState, early?: EarlyDial): OutgoingTransfer {
    const t: OutgoingTransfer = new OutgoingTransfer(state, {
      dial: () => {
        const pending = early;
        early = undefined;
        return this.dialFor(t, pending);
      },
      store: this.outStore,
      sink: this.sink,
      logger: this.log,
      reconnectWindowMs: this.opts.reconnectWindowMs ?? RECONNECT_WINDOW_MS,
      onFinal: () => undefined,
    });
    this.outgoing.set(state.transferId, t);
    return t;
  }

  /**
   * The same paths to the same device again: the interrupted transfer to continue under its id.
   * Sent by address, the device is known once the dial that runs beside the scan answers; a state
   * saved before any connection (a sender killed early) knows only the address. Under a new id
   * the receiver could not tell a retry from a second send, and took a transfer it had finished
   * without our hearing so for a new one: every byte again, saved as "name (1)".
   */
  private async interruptedSend(resumeKey: string, target: PeerRef, early: Promise<PeerDial>): Promise<OutgoingTransfer | undefined> {
    const candidates = [...this.outgoing.values()].filter((t) => t.state.resumeKey === resumeKey && t.restartable());
    if (!candidates.length) return undefined; // a first send does not wait for the dial: its state is saved meanwhile
    const fingerprint = target.fingerprint || (await early.then((d) => d.peer.fingerprint, () => ''));
    return candidates.find(({ state: { peer: p } }) => (p.fingerprint ? p.fingerprint === fingerprint : p.address === target.address && p.port === target.port));
  }

  /** Connects the transfer to its peer: on the pending connection while it is still open, else anew. */
  private async dialFor(t: OutgoingTransfer, pending?: EarlyDial): Promise<OfferLink> {
    let d = pending ? await pending.dial : null;
    if (!d?.conn.isOpen) d = await this.dialPeer(t.state.peer);
    t.state.peer = d.peer;
    t.record.peer = d.peer;
    return { conn: d.conn, offered: pending?.parts.offeredOn(d.conn) ?? 0 };
  }

  /** Dials a peer at its current address, pinned to its fingerprint once known. */
  private async dialPeer(p: PeerRef): Promise<PeerDial> {
    const addr = p.fingerprint ? this.addressOf(p.fingerprint) : null;
    const d = await dial({
      host: addr?.address ?? p.address,
      port: addr?.port ?? p.port,
      keyPem: this.id.keyPem,
      certPem: this.id.certPem,
      expectFingerprint: p.fingerprint || undefined,
      local: this.local(),
      logger: this.log,
    });
    const peer = { fingerprint: d.fingerprint, name: d.welcome.name, address: addr?.address ?? p.address, port: addr?.port ?? p.port };
    this.remember(peer);
    return { conn: d.conn, peer };
  }

  private addressOf(fp: string): { address: string; port: number } | null {
    const peer = this.discovery?.peers().find((x) => x.fingerprint === fp && x.online);
    if (peer) return { address: peer.address, port: peer.port };
    return null;
  }

  private resolveTarget(to: SendTarget): PeerRef {
    if ('host' in to) {
      if (!to.host || !Number.isInteger(to.port) || to.port < 1 || to.port > 65535) throw new FerryError(ErrorCode.INVALID_ARGUMENT, 'A target needs a host and a port (1-65535)');
      return { fingerprint: to.fingerprint?.toLowerCase() ?? '', name: '', address: to.host, port: to.port };
    }
    const peers = this.peers();
    let peer: Peer | undefined;
    if ('fingerprint' in to) peer = peers.find((p) => p.fingerprint === to.fingerprint.toLowerCase());
    else {
      const named = peers.filter((p) => p.name === to.name);
      if (named.length > 1) throw new FerryError(ErrorCode.INVALID_ARGUMENT, `${named.length} devices are named ${to.name}; pick one by fingerprint`);
      peer = named[0];
    }
    if (peer) return { fingerprint: peer.fingerprint, name: peer.name, address: peer.address, port: peer.port };
    const dev = 'fingerprint' in to ? this.known.get(to.fingerprint.toLowerCase()) : this.known.list().find((d) => d.name === to.name);
    if (dev?.lastAddress) return { fingerprint: dev.fingerprint, name: dev.name, address: dev.lastAddress, port: dev.lastPort };
    throw new FerryError(ErrorCode.NOT_FOUND, `No device ${'name' in to ? to.name : to.fingerprint.slice(0, 12)} is known or in sight`);
  }

  /** TLS hello with a peer at an address: who is it? (addPeer and discovery's manual peers). */
  private async probe(host: string, port: number): Promise<ProbeResult> {
    const d = await dial({ host, port, keyPem: this.id.keyPem, certPem: this.id.certPem, local: this.local(), logger: this.log, timeoutMs: 5_000 });
    d.conn.close();
    return { fingerprint: d.fingerprint, name: d.welcome.name, deviceType: d.welcome.deviceType, port: d.welcome.port || port, protocolVersion: d.welcome.version };
  }

  // ---- transfer control ----

  pause(transferId: string): void {
    this.find(transferId).pause();
  }

  resume(transferId: string): void {
    this.find(transferId).resume();
  }

  cancel(transferId: string): void {
    if (this.pending.has(transferId)) return this.respond(transferId, { accept: false });
    const out = this.outgoing.get(transferId);
    if (out) return out.cancel();
    const t = this.incoming.get(transferId);
    if (!t) throw new FerryError(ErrorCode.NOT_FOUND, `No transfer ${transferId}`);
    void t.cancelled({ code: ErrorCode.CANCELLED, message: 'Cancelled' }, true);
  }

  private find(id: string): { pause(): void; resume(): void } {
    const t = this.outgoing.get(id) ?? this.incoming.get(id);
    if (!t) throw new FerryError(ErrorCode.NOT_FOUND, `No transfer ${id}`);
    return t;
  }

  clearFinished(): void {
    for (const t of [...this.outgoing.values()]) {
      if (!t.record.final) continue;
      this.outgoing.delete(t.id);
      void this.outStore.remove(t.id).catch(() => undefined);
      this.emitSafe('transferRemoved', t.id);
    }
    for (const t of [...this.incoming.values()]) {
      if (!t.record.final || this.pending.has(t.id)) continue;
      if (t.record.state === 'failed') void t.cancelled(t.record.error ?? { code: ErrorCode.CANCELLED, message: 'Cleared' }, false);
      this.forgetIncoming(t);
    }
  }

  transfers(): TransferSnapshot[] {
    return [...this.outgoing.values(), ...this.incoming.values()].map((t) => this.withCode(t.record.snapshot())).sort((a, b) => a.createdAt - b.createdAt);
  }

  progress(): TransferProgress[] {
    return [...this.outgoing.values(), ...this.incoming.values()].filter((t) => t.record.state === 'transferring').map((t) => t.record.progress());
  }

  /** Both screens show the same code, so people can compare them before the first transfer. */
  private withCode(t: Omit<TransferSnapshot, 'pairingCode'>): TransferSnapshot {
    return { ...t, pairingCode: pairingCode(this.id.fingerprint, t.peer.fingerprint) };
  }

  // ---- peers and devices ----

  /** "New" is what the offer dialog warns about: a device that never sent us files. Being seen
   *  by discovery, or probed when added by address, does not make it known. */
  private hasSentBefore(fingerprint: string, except: string): boolean {
    for (const t of this.incoming.values()) {
      if (t.id !== except && t.state.peer.fingerprint === fingerprint && t.state.accepted.length > 0) return true;
    }
    return false;
  }

  /** Offers waiting for the user: capped overall, per identity, and per address. */
  private tooManyPending(peer: PeerRef): boolean {
    const waiting = [...this.pending.values()].map((p) => p.t.state.peer);
    return (
      waiting.length >= LIMITS.maxPendingOffers ||
      waiting.filter((w) => w.fingerprint === peer.fingerprint).length >= LIMITS.maxPendingOffersPerPeer ||
      waiting.filter((w) => w.address === peer.address).length >= LIMITS.maxPendingOffersPerAddress
    );
  }

  discoveryHint(): DiscoveryHint | null {
    return this.discovery?.hint() ?? null;
  }

  peers(): Peer[] {
    return this.discovery?.peers() ?? [];
  }

  async addPeer(address: string): Promise<Peer> {
    if (!this.discovery) throw new FerryError(ErrorCode.NOT_READY, 'The engine is not started');
    return this.discovery.addManual(address);
  }

  removePeer(fingerprint: string): void {
    void this.discovery?.removeManual(fingerprint).catch((err) => this.emitSafe('error', toErrorInfo(err)));
  }

  devices(): KnownDevice[] {
    return this.known.list();
  }

  trust(fingerprint: string): void {
    void Promise.resolve(this.known.trust(fingerprint)).then(() => this.discovery?.refreshTrust());
  }

  untrust(fingerprint: string): void {
    void Promise.resolve(this.known.untrust(fingerprint)).then(() => this.discovery?.refreshTrust());
  }

  pairingCode(peerFingerprint: string): string {
    return pairingCode(this.id.fingerprint, peerFingerprint);
  }

  setName(name: string): void {
    this.deviceName = name;
    this.identity.name = name;
    this.discovery?.setName(name);
  }

  setAcceptPolicy(policy: AcceptPolicy): void {
    this.policy = policy;
  }

  /** Applies to transfers accepted from now on. */
  setDownloadDir(dir: string): void {
    this.downloadDir = dir;
  }
}

/** Our name as peers accept it: no control characters, 1..64 characters. */
function wireName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = [...name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()].slice(0, 64).join('');
  return clean || 'Ferry device';
}

function fmt(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(n / 1024 ** 2)} MiB`;
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  limitHeapGrowth();
  const id = await loadOrCreateIdentity(opts.stateDir);
  const known = await KnownDevices.open(opts.stateDir);
  return new Engine(opts, id, known);
}

/** Discovery timing overrides: only the hint delay is the engine's to set. */
function hintTiming(hintAfterMs: number | undefined): { hintAfterMs: number } | undefined {
  return hintAfterMs === undefined ? undefined : { hintAfterMs };
}
