// Progress events come as data is acknowledged; when they pause (a slow commit, a busy event
// loop) the engine still knows the bytes. Reading it on a timer keeps progress output no
// further apart than about 500 ms while bytes move.
import type { TransferProgress } from '../shared/types';
import type { Engine } from '../main/engine/engine';

const POLL_MS = 400;

/** Calls onProgress with each unfinished transfer's current bytes every 400 ms; returns a stop function. */
export function pollProgress(engine: Engine, onProgress: (p: TransferProgress) => void): () => void {
  const timer = setInterval(() => {
    // progress(), not transfers(): a snapshot copies every file, 100,000 of them every 400 ms.
    for (const p of engine.progress()) onProgress(p);
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
