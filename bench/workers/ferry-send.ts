// Ferry sender: an engine that sends the given paths to the receiver by address and pinned
// fingerprint, done when its outgoing transfer is final.
import { FINAL_STATES, type TransferSnapshot } from '../../src/shared/types';
import { createEngine } from '../../src/main/engine/engine';
import { stderrLogger } from '../../src/main/engine/log';
import { join } from 'node:path';
import { config, emit, fail, now, startStats } from './common';

const cfg = config<{ host: string; bind: string; port: number; fingerprint: string; stateDir: string; paths: string[] }>();

async function main() {
  const engine = await createEngine({
    stateDir: cfg.stateDir,
    downloadDir: join(cfg.stateDir, 'downloads'),
    name: 'bench-sender',
    host: cfg.bind,
    port: 0,
    discovery: false,
    logger: stderrLogger(),
  });
  await engine.start();
  // Final snapshots by id: a small transfer can finish before send() resolves.
  const finals = new Map<string, TransferSnapshot>();
  let wake: (() => void) | undefined;
  engine.on('transferUpserted', (t: TransferSnapshot) => {
    if (t.direction === 'out' && FINAL_STATES.includes(t.state)) {
      finals.set(t.id, t);
      wake?.();
    }
  });
  const stats = startStats();
  const t0 = now();
  const { id } = await engine.send({ to: { host: cfg.host, port: cfg.port, fingerprint: cfg.fingerprint }, paths: cfg.paths });
  while (!finals.has(id)) await new Promise<void>((r) => (wake = r));
  const t = finals.get(id)!;
  if (t.state !== 'completed') throw new Error(`outgoing transfer ended ${t.state}: ${t.error?.code} ${t.error?.message}`);
  emit({ type: 'done', t0, bytes: t.bytesDone, files: t.files.length, stats: stats() });
  await engine.close();
  process.exit(0);
}
main().catch(fail);
