// Ferry receiver: an engine that accepts everything, done when the incoming transfer is final.
import { ErrorCode } from '../../src/shared/errors';
import { FINAL_STATES, type TransferSnapshot } from '../../src/shared/types';
import { createEngine } from '../../src/main/engine/engine';
import { stderrLogger } from '../../src/main/engine/log';
import { config, emit, fail, now, released, startStats } from './common';

const cfg = config<{ host: string; stateDir: string; downloadDir: string }>();

async function main() {
  const engine = await createEngine({
    stateDir: cfg.stateDir,
    downloadDir: cfg.downloadDir,
    name: 'bench-receiver',
    host: cfg.host,
    port: 0,
    acceptPolicy: 'all',
    discovery: false,
    logger: stderrLogger(),
  });
  await engine.start();
  const stats = startStats();
  engine.on('transferUpserted', (t: TransferSnapshot) => {
    if (t.direction !== 'in' || !FINAL_STATES.includes(t.state)) return;
    // A dropped connection leaves the transfer 'failed' until its sender reconnects and resumes it;
    // only the sender's worker can tell that it gave up.
    if (t.state === 'failed' && (t.error?.code === ErrorCode.CONNECTION_LOST || t.error?.code === ErrorCode.TIMEOUT)) return;
    const t1 = now();
    if (t.state !== 'completed') fail(new Error(`incoming transfer ended ${t.state}: ${t.error?.code} ${t.error?.message}`));
    const files = t.files.filter((f) => f.state === 'completed').length;
    emit({ type: 'done', t1, bytes: t.bytesDone, files, stats: stats() });
    // Stay up until the sender is done too: closing now could cut the last messages to it.
    released()
      .then(() => engine.close())
      .then(() => process.exit(0), fail);
  });
  emit({ type: 'ready', port: engine.identity.port, fingerprint: engine.identity.fingerprint });
}
main().catch(fail);
