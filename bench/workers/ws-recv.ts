// Transport microbench receiver: a `ws` server over https or http writing binary messages to a file
// (with aead, each message opened with AES-128-GCM first; see ./aead.ts).
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { WebSocketServer } from 'ws';
import { TLS_POLICY } from '../../src/main/engine/transport/tls-policy';
import { opener } from './aead';
import { config, emit, now, startStats } from './common';

const cfg = config<{ host: string; out: string; tls?: { cert: string; key: string }; aead?: string }>();
const stats = startStats();
const server = cfg.tls
  ? createHttps({ cert: readFileSync(cfg.tls.cert), key: readFileSync(cfg.tls.key), ...TLS_POLICY })
  : createHttp();
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws, req) => {
  req.socket.setNoDelay(true); // as the engine's server does
  const out = createWriteStream(cfg.out);
  const open = cfg.aead ? opener(Buffer.from(cfg.aead, 'hex')) : (msg: Buffer) => [msg];
  ws.on('message', (data: Buffer) => {
    let room = true;
    for (const part of open(data)) room = out.write(part);
    // Stop reading the socket while the disk catches up, like a real receiver must.
    if (!room) {
      ws.pause();
      out.once('drain', () => ws.resume());
    }
  });
  ws.on('close', () => out.end());
  out.on('close', () => {
    emit({ type: 'done', t1: now(), bytes: out.bytesWritten, files: 1, stats: stats() });
    server.close();
  });
});
server.listen(0, cfg.host, () => {
  const addr = server.address();
  emit({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
