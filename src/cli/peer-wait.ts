// Waiting for a device to show up in discovery.
import type { Peer } from '../shared/types';
import type { Engine } from '../main/engine/engine';

/** After the first device by that name answers, others by the same name get this long to answer too. */
const SETTLE_MS = 1_500;

/**
 * The online peers with this name (exact, else case-insensitive): once one shows up, plus
 * whoever else answers within SETTLE_MS (several devices may share a name; the caller decides),
 * or [] after timeoutMs.
 */
export function waitForPeers(engine: Engine, name: string, timeoutMs: number): Promise<Peer[]> {
  const match = (): Peer[] => {
    const online = engine.peers().filter((p) => p.online);
    const exact = online.filter((p) => p.name === name);
    return exact.length ? exact : online.filter((p) => p.name.toLowerCase() === name.toLowerCase());
  };
  return new Promise((resolve) => {
    let settle: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      clearTimeout(settle);
      engine.off('peerUpserted', check);
      resolve(match());
    };
    const check = () => {
      if (!settle && match().length) settle = setTimeout(done, SETTLE_MS);
    };
    const timer = setTimeout(done, timeoutMs);
    engine.on('peerUpserted', check);
    check();
  });
}

/** Every peer seen during waitMs. */
export async function collectPeers(engine: Engine, waitMs: number): Promise<Peer[]> {
  await new Promise((r) => setTimeout(r, waitMs));
  return engine.peers();
}
