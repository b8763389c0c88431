// Transport microbench receiver: a `ws` server over https or http writing binary messages to a file
// (with aead, each message opened with AES-128-GCM first; see ./aead.ts). With `hash` it hashes
// every byte with Ferry's BLAKE3 and fails unless the sender's closing digest matches.
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { WebSocketServer } from 'ws';
import { newHasher } from '../../src/main/engine/transfer/digest';
import { TLS_POLICY } from '../../src/main/engine/transport/tls-policy';
import { opener } from './aead';
import { config, emit, fail, now, startStats } from './common';

const cfg = config<{ host: string; out: string; tls?: { cert: string; key: string }; aead?: string; hash?: boolean }>();
const stats = startStats();
const server = cfg.tls
  ? createHttps({ cert: readFileSync(cfg.tls.cert), key: readFileSync(cfg.tls.key), ...TLS_POLICY })
  : createHttp();
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws, req) => {
  req.socket.setNoDelay(true); // as the engine's server does
  const out = createWriteStream(cfg.out);
  const open = cfg.aead ? opener(Buffer.from(cfg.aead, 'hex')) : (msg: Buffer) => [msg];
  const hasher = cfg.hash ? newHasher() : null;
  let checked = !hasher;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      const mine = hasher?.digest('hex');
      if (mine !== data.toString()) fail(new Error(`BLAKE3 mismatch: sender ${data.toString()}, receiver ${mine}`));
      checked = true;
      return;
    }
    let room = true;
    hasher?.update(data);
    for (const part of open(data)) room = out.write(part);
    // Stop reading the socket while the disk catches up, like a real receiver must.
    if (!room) {
      ws.pause();
      out.once('drain', () => ws.resume());
    }
  });
  ws.on('close', () => (checked ? out.end() : fail(new Error('The sender closed without its BLAKE3 digest'))));
  out.on('close', () => {
    emit({ type: 'done', t1: now(), bytes: out.bytesWritten, files: 1, stats: stats() });
    server.close();
  });
});
server.listen(0, cfg.host, () => {
  const addr = server.address();
  emit({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
