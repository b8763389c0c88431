// A real Ferry engine for the namespace tests (TLS server, discovery on FERRY_DISCOVERY_INTERFACES,
// accept policy 'all'). Optionally also runs a second Discovery that announces a forged
// fingerprint with this engine's port: an attacker with a real Ferry server.
//   argv[2]: JSON { stateDir, name, discovery?: boolean, forgeFingerprint?: string }
// JSON lines out (events) and in (commands), as discovery-node.ts.
import { join } from 'node:path';
import { Discovery } from '../../src/main/engine/discovery';
import { createEngine } from '../../src/main/engine/engine';
import type { SendTarget } from '../../src/main/engine/engine-api';
import { stderrLogger } from '../../src/main/engine/log';
import { FINAL_STATES } from '../../src/shared/types';
import { emit as out, runMain, serveCommands } from './child';

const cfg = JSON.parse(process.argv[2]) as { stateDir: string; name: string; discovery?: boolean; forgeFingerprint?: string };

async function main() {
  const engine = await createEngine({
    stateDir: cfg.stateDir,
    downloadDir: join(cfg.stateDir, 'downloads'),
    name: cfg.name,
    host: '::',
    port: 0,
    acceptPolicy: 'all',
    discovery: cfg.discovery !== false,
    logger: stderrLogger(),
  });
  engine.on('peerUpserted', (peer) => out({ ev: 'up', peer }));
  engine.on('peerRemoved', (fingerprint) => out({ ev: 'gone', fingerprint }));
  engine.on('offerReceived', (offer) => out({ ev: 'offer', offer }));
  engine.on('transferUpserted', (t) => FINAL_STATES.includes(t.state) && out({ ev: 'final', transfer: t }));
  await engine.start();
  let forged: Discovery | null = null;
  if (cfg.forgeFingerprint) {
    forged = new Discovery({
      identity: { fingerprint: cfg.forgeFingerprint, name: cfg.name, deviceType: 'laptop', port: engine.identity.port },
      stateDir: join(cfg.stateDir, 'forged'),
    });
    await forged.start();
  }
  out({ ev: 'ready', fingerprint: engine.identity.fingerprint, port: engine.identity.port });

  const commands: Record<string, (c: { cmd: string; to?: SendTarget; paths?: string[] }) => Promise<Record<string, unknown>>> = {
    stop: async () => {
      await forged?.stop();
      await engine.close();
      return { ev: 'stopped' };
    },
    send: async (c) => ({ ev: 'sent', transfer: await engine.send({ to: c.to!, paths: c.paths! }) }),
    transfers: async () => ({ ev: 'transfers', transfers: engine.transfers() }),
  };
  serveCommands(commands);
}

runMain(main);
