// The engine's listening side: HTTPS (TLS 1.3 only, client certificate required) with a ws
// endpoint. It authenticates the client by certificate fingerprint, enforces connection limits,
// runs the hello/welcome handshake and hands ready connections to the engine.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import { PROTOCOL_VERSIONS, WS_PATH, WS_SUBPROTOCOL } from '../../../shared/protocol';
import type { DeviceType } from '../../../shared/types';
import { fingerprintOfDer } from '../identity/identity';
import type { Logger } from '../log';
import type { Msg, MsgOf } from '../protocol/messages';
import { Connection } from './connection';
import { TLS_POLICY } from './tls-policy';

export interface LocalInfo {
  name: string;
  deviceType: DeviceType;
  port: number;
}

export interface ServerOptions {
  keyPem: string;
  certPem: string;
  logger: Logger;
  localInfo: () => LocalInfo;
  /** Called once the hello is done; the handler owns the connection from then on. */
  onConnection: (conn: Connection, hello: MsgOf<'hello'>) => void;
}

export class FerryServer {
  private readonly https: Server;
  private readonly wss: WebSocketServer;
  private readonly perAddress = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();
  private boundPort = 0;

  constructor(private readonly opts: ServerOptions) {
    this.https = createServer({
      key: opts.keyPem,
      cert: opts.certPem,
      requestCert: true,
      rejectUnauthorized: false,
      ...TLS_POLICY,
    });
    this.https.on('secureConnection', (s: TLSSocket) => s.setNoDelay(true));
    this.https.on('request', (_req, res) => res.writeHead(426).end());
    this.https.on('tlsClientError', (err) => opts.logger.log('debug', 'TLS handshake failed', { err: err.message }));
    this.https.maxConnections = LIMITS.maxConnections * 2;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxMessageBytes, perMessageDeflate: false, autoPong: false, handleProtocols: () => WS_SUBPROTOCOL });
    this.https.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as TLSSocket, head));
  }

  get port(): number {
    return this.boundPort;
  }

  /** Binds host:port ('::' falls back to '0.0.0.0' when there is no IPv6). Resolves to the bound port. */
  async listen(host: string | undefined, port: number): Promise<number> {
    try {
      await this.bind(host ?? '::', port);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (host !== undefined || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw err;
      await this.bind('0.0.0.0', port);
    }
    this.boundPort = (this.https.address() as { port: number }).port;
    return this.boundPort;
  }

  private bind(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onErr = (err: Error) => reject(err);
      this.https.once('error', onErr);
      this.https.listen(port, host, () => {
        this.https.off('error', onErr);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
    this.https.closeAllConnections?.();
  }

  private onUpgrade(req: IncomingMessage, socket: TLSSocket, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    try {
      const address = normaliseAddress(socket.remoteAddress ?? '');
      if (req.url !== WS_PATH) return refuse(404, 'Not Found');
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      if (!protocols.includes(WS_SUBPROTOCOL)) return refuse(400, 'Bad Request');
      const raw = socket.getPeerCertificate(true)?.raw;
      if (!raw || raw.length === 0) return refuse(401, 'Unauthorized');
      if (this.sockets.size >= LIMITS.maxConnections || (this.perAddress.get(address) ?? 0) >= LIMITS.maxConnectionsPerAddress) {
        this.opts.logger.log('warn', 'connection refused: too many connections', { address });
        return refuse(503, 'Service Unavailable');
      }
      const fingerprint = fingerprintOfDer(raw);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, fingerprint, address));
    } catch (err) {
      this.opts.logger.log('error', 'upgrade failed', { err: String(err) });
      socket.destroy();
    }
  }

  private onSocket(ws: WebSocket, fingerprint: string, address: string): void {
    this.sockets.add(ws);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    ws.on('close', () => {
      this.sockets.delete(ws);
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n > 0) this.perAddress.set(address, n);
      else this.perAddress.delete(address);
    });
    const conn = new Connection(ws, { peerFingerprint: fingerprint, remoteAddress: address, logger: this.opts.logger });
    const helloTimer = setTimeout(() => conn.fail(new FerryError(ErrorCode.TIMEOUT, 'No hello in time')), LIMITS.helloTimeoutMs);
    helloTimer.unref();
    conn.on('closed', () => clearTimeout(helloTimer));
    const early = () => conn.fail(new FerryError(ErrorCode.NOT_READY, 'Binary data before the hello'));
    conn.on('data', early);
    conn.once('message', (msg: Msg) => {
      clearTimeout(helloTimer);
      conn.off('data', early);
      if (msg.t !== 'hello') return conn.fail(new FerryError(ErrorCode.NOT_READY, `Expected hello, got ${msg.t}`));
      const version = Math.max(...msg.versions.filter((v) => (PROTOCOL_VERSIONS as readonly number[]).includes(v)), 0);
      if (!version) return conn.fail(new FerryError(ErrorCode.BAD_VERSION, `No common protocol version (we speak ${PROTOCOL_VERSIONS.join(', ')})`));
      const me = this.opts.localInfo();
      conn.send({ t: 'welcome', version, name: me.name, deviceType: me.deviceType, port: me.port });
      this.opts.onConnection(conn, msg);
    });
  }
}

/** '::ffff:127.0.0.1' -> '127.0.0.1', so limits per address count a v4 peer once. */
export function normaliseAddress(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
