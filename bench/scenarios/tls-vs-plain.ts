// Prices TLS for the transport decision: the same ws client/server, 1 MiB messages file to file,
// over http, over https, and over http with each message sealed by AES-128-GCM (what encryption at
// the application level would cost). `ws-tls-hash` adds BLAKE3 of every byte on both sides: the
// transport and hashing any verified, encrypted transfer on this stack pays, with none of Ferry's
// protocol; its ratio to the TCP pipe is printed beside the large-file verdict (bench/lib/targets.ts).
// The engine has no plain mode, so this uses raw `ws` with the engine's options (no compression,
// zero mask, TLS 1.3 with its cipher order, its kind of certificate).
import { SCENARIO, type Plan } from '../lib/plan';
import type { Recorder } from '../lib/recorder';
import { tlsFiles } from '../lib/tls-files';
import { wsFile, type Ctx, type SourceFile } from '../lib/transfers';

export async function tlsVsPlain(ctx: Ctx, plan: Plan, rec: Recorder, src: SourceFile): Promise<void> {
  const tls = await tlsFiles(ctx.scratch);
  for (let i = 0; i < plan.runs; i++) {
    await rec.measure(SCENARIO.tls, 'ws-plain', () => wsFile(ctx, SCENARIO.tls, src, 'plain'));
    await rec.measure(SCENARIO.tls, 'ws-tls', () => wsFile(ctx, SCENARIO.tls, src, tls));
    await rec.measure(SCENARIO.tls, 'ws-tls-hash', () => wsFile(ctx, SCENARIO.tls, src, { ...tls, hash: true }));
    await rec.measure(SCENARIO.tls, 'ws-aead', () => wsFile(ctx, SCENARIO.tls, src, 'aead'));
  }
}
