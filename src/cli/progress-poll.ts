// Progress events come as data is acknowledged; when they pause (a slow commit, a busy event
// loop) the snapshot still knows the bytes. Reading it on a timer keeps progress output no
// further apart than about 500 ms while bytes move.
import type { TransferProgress } from '../shared/types';
import type { Engine } from '../main/engine/engine';

const POLL_MS = 400;

/** Calls onProgress with each unfinished transfer's current bytes every 400 ms; returns a stop function. */
export function pollProgress(engine: Engine, onProgress: (p: TransferProgress) => void): () => void {
  const timer = setInterval(() => {
    for (const t of engine.transfers()) {
      if (t.state !== 'transferring') continue;
      onProgress({ id: t.id, bytesDone: t.bytesDone, speed: t.speed, eta: t.eta, files: [] });
    }
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
