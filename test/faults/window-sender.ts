// A sender with a short reconnect window, for the link-cut test (the CLI has no option for the
// window). argv[2]: JSON { stateDir, host, port, fingerprint, paths, reconnectWindowMs }.
// JSON lines out: { ev: 'transferring', bytesDone } once data may flow, { ev: 'final', transfer }.
import { join } from 'node:path';
import { createEngine } from '../../src/main/engine/engine';
import { loggerFromEnv } from '../../src/main/engine/log';
import { toErrorInfo } from '../../src/shared/errors';
import { FINAL_STATES } from '../../src/shared/types';

const cfg = JSON.parse(process.argv[2]) as { stateDir: string; host: string; port: number; fingerprint: string; paths: string[]; reconnectWindowMs: number };
const out = (e: Record<string, unknown>) => process.stdout.write(JSON.stringify(e) + '\n');

async function main() {
  const engine = await createEngine({
    stateDir: cfg.stateDir,
    downloadDir: join(cfg.stateDir, 'downloads'),
    name: 'window-sender',
    port: 0,
    discovery: false,
    reconnectWindowMs: cfg.reconnectWindowMs,
    logger: loggerFromEnv(),
  });
  await engine.start();
  let id = '';
  let announced = false;
  engine.on('transferUpserted', (t) => {
    if (t.direction !== 'out' || (id && t.id !== id)) return;
    if (t.state === 'transferring' && !announced) {
      announced = true;
      out({ ev: 'transferring', bytesDone: t.bytesDone });
    }
    if (FINAL_STATES.includes(t.state) && id) {
      out({ ev: 'final', transfer: t });
      void engine.close().then(() => process.exit(0));
    }
  });
  const t = await engine.send({ to: { host: cfg.host, port: cfg.port, fingerprint: cfg.fingerprint }, paths: cfg.paths });
  id = t.id;
  const now = engine.transfers().find((x) => x.id === id && x.direction === 'out');
  if (now && FINAL_STATES.includes(now.state)) {
    out({ ev: 'final', transfer: now });
    await engine.close();
    process.exit(0);
  }
}

main().catch((err) => {
  out({ ev: 'fatal', error: toErrorInfo(err) });
  process.exit(1);
});
