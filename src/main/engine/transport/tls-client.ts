// The dialling side: opens wss to a peer with our certificate, checks the peer's fingerprint
// against the pinned one before sending anything, then runs hello/welcome.
import type { IncomingMessage } from 'node:http';
import { type ConnectionOptions, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import { PROTOCOL_VERSIONS, WS_PATH, WS_SUBPROTOCOL } from '../../../shared/protocol';
import { fingerprintOfDer } from '../identity/identity';
import type { Logger } from '../log';
import type { Msg, MsgOf } from '../protocol/messages';
import { Connection } from './connection';
import { TLS_POLICY } from './tls-policy';
import type { LocalInfo } from './tls-server';

export interface DialOptions {
  host: string;
  port: number;
  keyPem: string;
  certPem: string;
  /** The fingerprint the peer must have; omitted on first contact by address. */
  expectFingerprint?: string;
  local: LocalInfo;
  logger: Logger;
  timeoutMs?: number;
}

export interface Dialled {
  conn: Connection;
  welcome: MsgOf<'welcome'>;
  fingerprint: string;
}

export function wsUrl(host: string, port: number): string {
  const h = host.includes(':') ? `[${host.replace(/%/g, '%25')}]` : host;
  return `wss://${h}:${port}${WS_PATH}`;
}

/** Client TLS contexts by certificate: building one (key, certificate, the default CA store) costs
 *  2-3 ms, which every dial paid. A few identities at most live in one process (tests run many). */
const contexts = new Map<string, SecureContext>();
const CONTEXTS_KEPT = 8;

function clientContext(keyPem: string, certPem: string): SecureContext {
  let ctx = contexts.get(certPem);
  if (!ctx) {
    ctx = createSecureContext({ key: keyPem, cert: certPem, ...TLS_POLICY });
    contexts.set(certPem, ctx);
    if (contexts.size > CONTEXTS_KEPT) contexts.delete(contexts.keys().next().value!);
  }
  return ctx;
}

/** Connects and completes the hello. Rejects with E_FINGERPRINT_MISMATCH, E_UNREACHABLE, E_TLS... */
export function dial(opts: DialOptions): Promise<Dialled> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let fingerprint = '';
    let conn: Connection | null = null;
    const options: WebSocket.ClientOptions & ConnectionOptions = {
      secureContext: clientContext(opts.keyPem, opts.certPem), // ws hands it on to tls.connect
      rejectUnauthorized: false,
      perMessageDeflate: false,
      autoPong: false, // Connection answers pings itself, under its rate limit
      maxPayload: LIMITS.maxMessageBytes,
      // Zero mask: ws then skips the XOR pass; TLS already protects the stream (PROTOCOL.md 1).
      generateMask: (mask: Buffer) => void mask.fill(0),
      handshakeTimeout: opts.timeoutMs ?? LIMITS.helloTimeoutMs,
    };
    const ws = new WebSocket(wsUrl(opts.host, opts.port), WS_SUBPROTOCOL, options);
    const where = `${opts.host}:${opts.port}`;
    const finish = (err: FerryError | null, value?: Dialled) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        ws.terminate();
        reject(err);
      } else resolve(value!);
    };
    const timer = setTimeout(() => finish(new FerryError(ErrorCode.UNREACHABLE, `${where} did not answer in time`)), opts.timeoutMs ?? LIMITS.helloTimeoutMs);
    timer.unref();
    ws.on('upgrade', (res: IncomingMessage) => {
      const raw = (res.socket as TLSSocket).getPeerCertificate(true)?.raw;
      fingerprint = raw ? fingerprintOfDer(raw) : '';
      if (!fingerprint) return finish(new FerryError(ErrorCode.TLS, `${where} presented no certificate`));
      if (opts.expectFingerprint && fingerprint !== opts.expectFingerprint.toLowerCase()) {
        opts.logger.log('warn', 'fingerprint mismatch', { peer: fingerprint.slice(0, 12), expected: opts.expectFingerprint.slice(0, 12) });
        finish(
          new FerryError(
            ErrorCode.FINGERPRINT_MISMATCH,
            `The device at ${where} is not the one expected: its fingerprint is ${fingerprint}, expected ${opts.expectFingerprint}`,
          ),
        );
      }
    });
    ws.on('open', () => {
      if (settled) return;
      (ws as unknown as { _socket?: TLSSocket })._socket?.setNoDelay(true);
      conn = new Connection(ws, { peerFingerprint: fingerprint, remoteAddress: opts.host, logger: opts.logger });
      conn.on('closed', (err) => finish(new FerryError(err?.code ?? ErrorCode.CONNECTION_LOST, err?.message ?? `${where} closed the connection`)));
      conn.once('message', (msg: Msg) => {
        if (msg.t === 'welcome') return finish(null, { conn: conn!, welcome: msg, fingerprint });
        if (msg.t === 'error') return finish(new FerryError(msg.code, `${where}: ${msg.message}`));
        conn!.fail(new FerryError(ErrorCode.BAD_MESSAGE, `Expected welcome, got ${msg.t}`));
      });
      conn.send({ t: 'hello', versions: [...PROTOCOL_VERSIONS], name: opts.local.name, deviceType: opts.local.deviceType, port: opts.local.port });
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      const code = /certificate|TLS|SSL|handshake/i.test(err.message) ? ErrorCode.TLS : ErrorCode.UNREACHABLE;
      finish(new FerryError(code, `Cannot connect to ${where}: ${err.message}`, { cause: err }));
    });
  });
}
