// A Ferry discovery node for the namespace tests: a real TLS server (the identity it announces,
// unless told to forge another fingerprint) plus Discovery on the interfaces from
// FERRY_DISCOVERY_INTERFACES. JSON lines out (events) and in (commands); see discovery.test.ts.
//   argv[2]: JSON { stateDir, name, forgeFingerprint?, hintAfterMs? }
import { Discovery } from '../../src/main/engine/discovery';
import { stderrLogger } from '../../src/main/engine/log';
import { connectPinned, probe, startTlsPeer } from '../discovery/tls-peer';
import { emit as out, runMain, serveCommands } from './child';

const cfg = JSON.parse(process.argv[2]) as { stateDir: string; name: string; forgeFingerprint?: string; hintAfterMs?: number };

async function main() {
  const tls = await startTlsPeer(cfg.stateDir, cfg.name, '::');
  const d = new Discovery({
    identity: { fingerprint: cfg.forgeFingerprint ?? tls.fingerprint, name: cfg.name, deviceType: 'laptop', port: tls.port },
    stateDir: cfg.stateDir,
    probe,
    timing: cfg.hintAfterMs ? { hintAfterMs: cfg.hintAfterMs } : {},
    logger: stderrLogger(),
  });
  d.on('peerUpserted', (peer) => out({ ev: 'up', peer }));
  d.on('peerRemoved', (fingerprint) => out({ ev: 'gone', fingerprint }));
  d.on('hint', (hint) => out({ ev: 'hint', hint }));
  await d.start();
  out({ ev: 'ready', fingerprint: tls.fingerprint, port: tls.port });

  const commands: Record<string, (c: Record<string, string>) => Promise<Record<string, unknown>>> = {
    stop: async () => {
      await d.stop();
      await tls.close();
      return { ev: 'stopped' };
    },
    add: async (c) => ({ ev: 'added', peer: await d.addManual(c.address) }),
    connect: async (c) => ({ ev: 'connected', name: await connectPinned(c.host, Number(c.port), c.fingerprint) }),
    peers: async () => ({ ev: 'peers', peers: d.peers() }),
  };
  serveCommands(commands);
}

runMain(main);
