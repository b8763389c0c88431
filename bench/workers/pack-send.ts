// Small-files stack reference, sender: every file of a tree read whole, hashed with Ferry's BLAKE3
// and packed with its path, size and digest into binary ws messages of ~256 KiB, over TLS with the
// engine's client settings. Only what any encrypted, verified small-file path on this stack pays:
// no offer, acks, state or progress (see pack-recv.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, relative, sep } from 'node:path';
import WebSocket from 'ws';
import { digestOf } from '../../src/main/engine/transfer/digest';
import { packEntry } from './pack-format';
import { config, emit, now, startStats } from './common';

const cfg = config<{ host: string; port: number; src: string }>();
const PACK_BYTES = 256 * 1024;
const HIGH_WATER = 8 * 1024 * 1024;

function* walk(dir: string): Generator<string> {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) yield* walk(p);
    else if (d.isFile()) yield p;
  }
}

async function main() {
  const stats = startStats();
  const t0 = now();
  const ws = new WebSocket(`wss://${cfg.host}:${cfg.port}/`, { perMessageDeflate: false, rejectUnauthorized: false, generateMask: (m) => m.fill(0) });
  await once(ws, 'open');
  let queued = 0;
  let wake: (() => void) | undefined;
  let parts: Buffer[] = [];
  let size = 0;
  let bytes = 0;
  const flush = async () => {
    const msg = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    queued += msg.length;
    ws.send(msg, () => {
      queued -= msg.length;
      wake?.();
    });
    while (queued > HIGH_WATER) await new Promise<void>((r) => (wake = r));
  };
  for (const file of walk(cfg.src)) {
    const data = readFileSync(file);
    const path = relative(cfg.src, file).split(sep).join('/');
    for (const b of packEntry(path, data, digestOf(data))) {
      parts.push(b);
      size += b.length;
    }
    bytes += data.length;
    if (size >= PACK_BYTES) await flush();
  }
  if (size) await flush();
  ws.send('end');
  ws.close();
  await once(ws, 'close');
  emit({ type: 'done', t0, bytes, stats: stats() });
}
void main();
