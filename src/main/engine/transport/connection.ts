// One authenticated peer connection: JSON control messages in and out (validated), binary DATA
// frames, heartbeat, control-message rate limit, and a single 'closed' event with the reason.
// Nothing a peer sends can throw out of here: a bad message closes this connection only.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { ErrorCode, type ErrorInfo, FerryError, toErrorInfo } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS } from '../../../shared/protocol';
import type { Logger } from '../log';
import { FLOW_TYPES, type Msg, parseMessage } from '../protocol/messages';

export const CLOSE_NORMAL = 1000;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;

export interface ConnectionEvents {
  message: (msg: Msg) => void;
  data: (frame: Buffer) => void;
  /** Exactly once. `err` is null for an orderly close after the work was done. */
  closed: (err: ErrorInfo | null) => void;
}

export interface ConnectionOptions {
  peerFingerprint: string;
  remoteAddress: string;
  logger: Logger;
  /** Heartbeat timings (tests shorten them). */
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
}

export class Connection extends EventEmitter {
  readonly peerFingerprint: string;
  readonly remoteAddress: string;
  /** Set by the owner while a transfer uses the connection; an idle connection is closed eventually. */
  busy = false;
  private lastSeen = Date.now();
  private idleSince = Date.now();
  private closedErr: ErrorInfo | null | undefined = undefined;
  private localErr: ErrorInfo | null = null;
  private remoteErr: ErrorInfo | null = null;
  private rateWindowStart = Date.now();
  private rateCount = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly log: Logger;
  private corked = false;

  constructor(
    readonly ws: WebSocket,
    opts: ConnectionOptions,
  ) {
    super();
    this.peerFingerprint = opts.peerFingerprint;
    this.remoteAddress = opts.remoteAddress;
    this.log = opts.logger;
    const interval = opts.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
    const timeout = opts.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    this.timer = setInterval(() => this.tick(timeout), interval);
    this.timer.unref();
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('ping', (data) => this.onPing(data));
    ws.on('pong', () => (this.lastSeen = Date.now()));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', (err) => {
      this.log.log('debug', 'connection error', { peer: this.peerTag, err: err.message });
      this.localErr ??= { code: ErrorCode.CONNECTION_LOST, message: `Connection to ${this.remoteAddress} failed: ${err.message}` };
    });
  }

  get peerTag(): string {
    return this.peerFingerprint.slice(0, 12);
  }

  get isOpen(): boolean {
    return this.closedErr === undefined && this.ws.readyState === this.ws.OPEN;
  }

  /** Bytes handed to ws but not yet written to the socket. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  override on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): this {
    return super.on(event, listener);
  }

  send(msg: Msg): void {
    if (!this.isOpen) return;
    this.batch();
    this.ws.send(JSON.stringify(msg));
  }

  sendData(frame: Buffer, cb: (err?: Error) => void): void {
    if (!this.isOpen) return cb(new Error('connection closed'));
    this.batch();
    this.ws.send(frame, { binary: true }, cb);
  }

  /**
   * Holds what is sent in this tick and writes it in one go: many small files' frames and
   * fileDones become one TLS record per 16 KB and one syscall, not one of each per message.
   * ws keeps its socket private; without one (never, in practice) messages go out one by one.
   */
  private batch(): void {
    if (this.corked) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }

  /** Tells the peer what went wrong, then closes (1008, or 1009 for size limits). */
  fail(err: unknown, closeCode = CLOSE_POLICY): void {
    const info = toErrorInfo(err);
    if (!this.isOpen) return;
    this.localErr = info;
    this.log.log('warn', 'closing connection', { peer: this.peerTag, code: info.code, reason: info.message });
    this.send({ t: 'error', code: info.code, message: info.message.slice(0, 1024) });
    this.ws.close(closeCode, info.code);
    this.forceCloseSoon();
  }

  /** Orderly close: the work is done (or cancelled, with `err` as the recorded reason). */
  close(err: ErrorInfo | null = null): void {
    if (this.closedErr !== undefined) return;
    this.localErr = err;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(CLOSE_NORMAL);
    this.forceCloseSoon();
  }

  /** Drops the connection without a goodbye (dead peer, shutdown). */
  terminate(err: ErrorInfo): void {
    if (this.closedErr !== undefined) return;
    this.localErr = err;
    this.ws.terminate();
  }

  private forceCloseSoon(): void {
    const t = setTimeout(() => this.ws.terminate(), 2_000);
    t.unref();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.lastSeen = Date.now();
    if (this.closedErr !== undefined || this.localErr) return;
    try {
      if (isBinary) {
        // Nobody owns DATA frames yet (no accepted transfer): an unknown transfer, not something to ignore.
        if (this.listenerCount('data') === 0) throw new FerryError(ErrorCode.BAD_FRAME, 'Binary data outside an accepted transfer');
        this.emit('data', data);
        return;
      }
      let msg: Msg;
      try {
        msg = parseMessage(data.toString('utf8'));
      } catch (err) {
        return this.fail(err, err instanceof FerryError && err.code === ErrorCode.LIMIT ? CLOSE_TOO_BIG : CLOSE_POLICY);
      }
      if (!FLOW_TYPES.has(msg.t)) this.chargeControl();
      if (msg.t === 'error') {
        this.remoteErr = { code: msg.code, message: msg.message };
        this.log.log('info', 'peer reported an error', { peer: this.peerTag, code: msg.code, reason: msg.message });
      }
      this.emit('message', msg);
    } catch (err) {
      if (!(err instanceof FerryError)) this.log.log('error', 'internal error handling a message', { peer: this.peerTag, err: String(err) });
      this.fail(err instanceof FerryError ? err : new FerryError(ErrorCode.INTERNAL, 'Internal error handling a message'));
    }
  }

  /** Pongs are ours, not ws's auto-pong (autoPong: false), so a ping flood meets our rate limit and its E_LIMIT. */
  private onPing(data: Buffer): void {
    this.lastSeen = Date.now();
    try {
      this.chargeControl();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.ws.readyState === this.ws.OPEN) this.ws.pong(data);
  }

  /** Counts one control message (or a flow message that moved nothing); E_LIMIT past the rate limit. */
  chargeControl(): void {
    const now = Date.now();
    if (now - this.rateWindowStart >= 1000) {
      this.rateWindowStart = now;
      this.rateCount = 0;
    }
    if (++this.rateCount > LIMITS.maxControlPerSecond) {
      throw new FerryError(ErrorCode.LIMIT, `More than ${LIMITS.maxControlPerSecond} control messages per second`);
    }
  }

  private tick(timeoutMs: number): void {
    const now = Date.now();
    if (now - this.lastSeen > timeoutMs) {
      this.terminate({ code: ErrorCode.TIMEOUT, message: `No sign of life from ${this.remoteAddress} for ${Math.round(timeoutMs / 1000)} s` });
      return;
    }
    if (this.busy) this.idleSince = now;
    else if (now - this.idleSince > LIMITS.idleTimeoutMs) {
      this.fail(new FerryError(ErrorCode.TIMEOUT, 'Idle connection closed'));
      return;
    }
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  private onClose(code: number): void {
    clearInterval(this.timer);
    if (this.closedErr !== undefined) return;
    let err: ErrorInfo | null = this.localErr ?? this.remoteErr;
    if (!err && code !== CLOSE_NORMAL) err = { code: ErrorCode.CONNECTION_LOST, message: `Connection to ${this.remoteAddress} lost (${code})` };
    this.closedErr = err;
    try {
      this.emit('closed', err);
    } catch (e) {
      this.log.log('error', 'internal error on close', { peer: this.peerTag, err: String(e) });
    }
  }
}
