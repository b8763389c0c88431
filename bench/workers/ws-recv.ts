// TLS-vs-plain microbench receiver: a `ws` server over https or http writing binary messages to a file.
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { WebSocketServer } from 'ws';
import { config, emit, now, startStats } from './common';

const cfg = config<{ host: string; out: string; tls?: { cert: string; key: string } }>();
const stats = startStats();
const server = cfg.tls
  ? createHttps({ cert: readFileSync(cfg.tls.cert), key: readFileSync(cfg.tls.key), minVersion: 'TLSv1.3' })
  : createHttp();
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws, req) => {
  req.socket.setNoDelay(true); // as the engine's server does
  const out = createWriteStream(cfg.out);
  ws.on('message', (data: Buffer) => {
    // Stop reading the socket while the disk catches up, like a real receiver must.
    if (!out.write(data)) {
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
