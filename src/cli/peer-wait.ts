// Waiting for a device to show up in discovery.
import type { Peer } from '../shared/types';
import type { Engine } from '../main/engine/engine';

/** The online peer with this name (exact, else case-insensitive), or null after timeoutMs. */
export function waitForPeer(engine: Engine, name: string, timeoutMs: number): Promise<Peer | null> {
  const match = (): Peer | null => {
    const online = engine.peers().filter((p) => p.online);
    return online.find((p) => p.name === name) ?? online.find((p) => p.name.toLowerCase() === name.toLowerCase()) ?? null;
  };
  return new Promise((resolve) => {
    const done = (p: Peer | null) => {
      clearTimeout(timer);
      engine.off('peerUpserted', check);
      resolve(p);
    };
    const check = () => {
      const p = match();
      if (p) done(p);
    };
    const timer = setTimeout(() => done(match()), timeoutMs);
    engine.on('peerUpserted', check);
    check();
  });
}

/** Every peer seen during waitMs. */
export async function collectPeers(engine: Engine, waitMs: number): Promise<Peer[]> {
  await new Promise((r) => setTimeout(r, waitMs));
  return engine.peers();
}
