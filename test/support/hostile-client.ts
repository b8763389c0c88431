// A hostile Ferry peer: speaks the raw protocol over wss with its own self-signed certificate
// (from the identity module) and sends whatever the test crafts: raw JSON, raw text, raw binary
// frames. It never validates what it sends; it records what the receiver answers and how it closes.
//
//   const id = await hostileIdentity(dir);
//   const c = await HostileClient.connect({ port, identity: id });
//   await c.hello();
//   c.sendText('{not json');
//   const end = await c.closed;        // { code: 1008, reason: 'E_BAD_MESSAGE', error: 'E_BAD_MESSAGE' }
import { blake3 } from '@napi-rs/blake-hash';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { loadOrCreateIdentity, type DeviceIdentity } from '../../src/main/engine/identity/identity';
import { DIGEST_BYTES, FLAG_FILE_END, FRAME_DATA, FRAME_HEADER_BYTES, FRAME_PACK, PROTOCOL_VERSION, WS_PATH, WS_SUBPROTOCOL } from '../../src/shared/protocol';

export type HostileIdentity = DeviceIdentity;

/** A certificate and key of our own, made by the same module a real device uses. */
export function hostileIdentity(stateDir: string): Promise<HostileIdentity> {
  return loadOrCreateIdentity(stateDir);
}

export interface ConnectOptions {
  host?: string;
  port: number;
  identity?: HostileIdentity;
  /** Source address (127.0.0.x), so per-address limits can be tested on loopback. */
  localAddress?: string;
  /** ws subprotocol; false sends none. */
  protocol?: string | false;
  path?: string;
  timeoutMs?: number;
}

export interface CloseInfo {
  /** ws close code (1006 when the socket just went away). */
  code: number;
  reason: string;
  /** Code of the last `error` message the receiver sent before closing, if any. */
  error: string | null;
}

export type JsonMessage = { t: string; [k: string]: unknown };
export type Received = JsonMessage | { binary: Buffer };

export class ConnectRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class HostileClient {
  readonly received: Received[] = [];
  readonly closed: Promise<CloseInfo>;
  private lastError: string | null = null;
  private waiters: { pred: (m: Received) => boolean; resolve: (m: Received) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString(), error: this.lastError });
      });
    });
    ws.on('error', () => undefined); // a reset is an outcome here, not a failure
    ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      let m: Received;
      if (isBinary) m = { binary: buf };
      else {
        try {
          m = JSON.parse(buf.toString('utf8')) as Received & { t: string };
        } catch {
          m = { t: '<unparsable>', text: buf.toString('utf8') };
        }
        if ('t' in m && m.t === 'error') this.lastError = String(m.code);
      }
      this.received.push(m);
      this.waiters = this.waiters.filter((w) => !(w.pred(m) && (w.resolve(m), true)));
    });
  }

  /** Opens the TLS WebSocket. Rejects with ConnectRefused (HTTP status) when the upgrade is refused. */
  static connect(o: ConnectOptions): Promise<HostileClient> {
    const host = o.host ?? '127.0.0.1';
    const url = `wss://${host.includes(':') ? `[${host}]` : host}:${o.port}${o.path ?? WS_PATH}`;
    const ws = new WebSocket(url, o.protocol === false ? [] : [o.protocol ?? WS_SUBPROTOCOL], {
      ...(o.identity ? { cert: o.identity.certPem, key: o.identity.keyPem } : {}),
      rejectUnauthorized: false,
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
      handshakeTimeout: o.timeoutMs ?? 10_000,
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new HostileClient(ws)));
      ws.once('unexpected-response', (_req, res: IncomingMessage) => {
        ws.terminate();
        reject(new ConnectRefused(res.statusCode ?? 0, `upgrade refused: HTTP ${res.statusCode}`));
      });
      ws.once('error', (err) => reject(err));
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendJson(obj: unknown): void {
    this.sendText(JSON.stringify(obj));
  }

  sendText(text: string): void {
    if (this.isOpen) this.ws.send(text, { binary: false });
  }

  sendBinary(buf: Buffer): void {
    if (this.isOpen) this.ws.send(buf, { binary: true });
  }

  /** A ws ping; resolves on the pong (false when the connection closed first). */
  roundTrip(timeoutMs = 10_000): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        this.ws.off('pong', onPong);
        resolve(v);
      };
      const onPong = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.ws.on('pong', onPong);
      void this.closed.then(() => done(false));
      this.ws.ping();
    });
  }

  /** The first message (past or future) that passes `pred`; null when the connection closes or time runs out. */
  waitFor(pred: (m: Received) => boolean, timeoutMs = 10_000): Promise<Received | null> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      void this.closed.then(() => setTimeout(() => resolve(this.received.find(pred) ?? null), 10));
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  waitType(t: string, timeoutMs = 10_000): Promise<JsonMessage | null> {
    return this.waitFor((m) => 't' in m && m.t === t, timeoutMs) as Promise<JsonMessage | null>;
  }

  /** Sends a valid hello (fields overridable) and waits for the welcome; null if refused. */
  async hello(over: Record<string, unknown> = {}): Promise<Received | null> {
    this.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: 'hostile', deviceType: 'laptop', port: 0, ...over });
    return this.waitFor((m) => 't' in m && (m.t === 'welcome' || m.t === 'error'));
  }

  /** Sends an offer for `files` and waits for accept/reject/error. */
  async offer(files: { path: string; size: number; mtime?: number }[], over: Record<string, unknown> = {}): Promise<Received | null> {
    this.sendJson(offerMessage(files, over));
    return this.waitFor((m) => 't' in m && (m.t === 'accept' || m.t === 'reject' || m.t === 'error'));
  }

  /** Closes with the given code and waits until the socket is gone (bounded). */
  async end(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.terminate();
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 2_000))]);
  }
}

/** A well-formed offer message (the receiver decides whether its names and sizes are acceptable). */
export function offerMessage(files: { path: string; size: number; mtime?: number }[], over: Record<string, unknown> = {}) {
  const list = files.map((f) => ({ path: f.path, size: f.size, mtime: f.mtime ?? 1_700_000_000_000 }));
  return {
    t: 'offer',
    transferId: randomUUID(),
    resumeKey: createHash('sha256').update(JSON.stringify(list.map((f) => [f.path, f.size, f.mtime]))).digest('hex'),
    files: list,
    totalBytes: list.reduce((n, f) => n + f.size, 0),
    ...over,
  };
}

/** A DATA frame as docs/PROTOCOL.md section 4 lays it out, built byte by byte (not with the engine's encoder). */
export function dataFrame(handle: number, file: number, offset: number, payload: Buffer, fileDigest?: Buffer): Buffer {
  const head = Buffer.alloc(FRAME_HEADER_BYTES + (fileDigest ? DIGEST_BYTES : 0));
  head[0] = FRAME_DATA;
  head[1] = fileDigest ? FLAG_FILE_END : 0;
  head.writeUInt32BE(handle >>> 0, 4);
  head.writeUInt32BE(file >>> 0, 8);
  head.writeUInt32BE(Math.floor(offset / 2 ** 32) >>> 0, 12);
  head.writeUInt32BE(offset % 2 ** 32 >>> 0, 16);
  if (fileDigest) fileDigest.copy(head, FRAME_HEADER_BYTES);
  return Buffer.concat([head, payload]);
}

/**
 * A PACK frame (PROTOCOL.md section 4) built byte by byte: each entry a file index, its bytes and a
 * digest (BLAKE3 of the bytes unless given); `count` may lie about the number of entries.
 */
export function packFrame(handle: number, entries: { file: number; payload: Buffer; digest?: Buffer }[], count = entries.length): Buffer {
  const head = Buffer.alloc(8);
  head[0] = FRAME_PACK;
  head.writeUInt16BE(count, 2);
  head.writeUInt32BE(handle >>> 0, 4);
  const parts = entries.flatMap((e) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(e.file >>> 0, 0);
    h.writeUInt32BE(e.payload.length, 4);
    return [h, e.digest ?? blake3(e.payload), e.payload];
  });
  return Buffer.concat([head, ...parts]);
}

/** Block digests and file digest of `content` (PROTOCOL.md section 5), for frames that should verify. */
export function digestsOf(content: Buffer, blockSize = 4 * 1024 * 1024): { blocks: Buffer[]; file: Buffer } {
  const blocks: Buffer[] = [];
  for (let at = 0; at < content.length; at += blockSize) blocks.push(blake3(content.subarray(at, at + blockSize)));
  return { blocks, file: blocks.length === 1 ? blocks[0] : blake3(Buffer.concat(blocks)) };
}
