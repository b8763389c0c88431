// A Ferry engine in its own process, so a test can kill -9 it mid-transfer.
// argv[2]: JSON { stateDir, downloadDir, name, port, send?: { host, port, fingerprint, paths } }.
// stdout: one JSON line per event: {ev:'ready', port, fingerprint} and {ev:'progress', bytes}.
import { createEngine } from '../../src/main/engine/engine';
import { loggerFromEnv } from '../../src/main/engine/log';

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const engine = await createEngine({ ...cfg, host: '127.0.0.1', acceptPolicy: 'all', discovery: false, logger: loggerFromEnv() });
  await engine.start();
  const out = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  engine.on('transferProgress', (p) => out({ ev: 'progress', id: p.id, bytes: p.bytesDone }));
  engine.on('transferUpserted', (t) => out({ ev: 'state', id: t.id, state: t.state, bytes: t.bytesDone }));
  out({ ev: 'ready', port: engine.identity.port, fingerprint: engine.identity.fingerprint });
  if (cfg.send) await engine.send({ to: { host: cfg.send.host, port: cfg.send.port, fingerprint: cfg.send.fingerprint }, paths: cfg.send.paths });
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
