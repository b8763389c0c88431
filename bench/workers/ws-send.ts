// Transport microbench sender: reads the file in 1 MiB chunks and sends each as one binary ws message,
// over TLS, plain, or plain with each message sealed by AES-128-GCM (aead: the key in hex). With
// `hash` it also hashes every byte with Ferry's BLAKE3 and sends the digest last, as a text message.
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import WebSocket from 'ws';
import { newHasher } from '../../src/main/engine/transfer/digest';
import { sealer } from './aead';
import { config, emit, now, startStats } from './common';

const cfg = config<{ host: string; port: number; file: string; tls: boolean; aead?: string; hash?: boolean; chunkBytes: number }>();
const HIGH_WATER = 8 * 1024 * 1024; // bytes queued in ws before we wait for the socket

async function main() {
  const stats = startStats();
  const t0 = now();
  const url = `${cfg.tls ? 'wss' : 'ws'}://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${cfg.port}/`;
  // The engine's client settings (docs/PROTOCOL.md section 1): no compression, all-zero mask.
  const ws = new WebSocket(url, { perMessageDeflate: false, rejectUnauthorized: false, generateMask: (m) => m.fill(0) });
  await once(ws, 'open');
  const seal = cfg.aead ? sealer(Buffer.from(cfg.aead, 'hex')) : null;
  const hasher = cfg.hash ? newHasher() : null;
  let bytes = 0;
  let queued = 0;
  let wake: (() => void) | undefined;
  for await (const chunk of createReadStream(cfg.file, { highWaterMark: cfg.chunkBytes })) {
    const len = (chunk as Buffer).length;
    hasher?.update(chunk as Buffer);
    queued += len;
    bytes += len;
    // The callback fires once the socket took the message: our backpressure signal.
    const done = () => {
      queued -= len;
      wake?.();
    };
    if (seal) {
      const parts = seal(chunk as Buffer);
      for (const p of parts.slice(0, -1)) ws.send(p, { fin: false });
      ws.send(parts[parts.length - 1], { fin: true }, done);
    } else ws.send(chunk as Buffer, done);
    while (queued > HIGH_WATER) await new Promise<void>((r) => (wake = r));
  }
  if (hasher) ws.send(hasher.digest('hex'));
  ws.close();
  await once(ws, 'close');
  emit({ type: 'done', t0, bytes, stats: stats() });
}
main();
