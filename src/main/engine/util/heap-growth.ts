// How far V8 lets the heap grow past its live size before a full collection. Left to itself it
// allows up to 4x while collections look cheap: a batch of 100,000 small files (about 60 MB live
// on the receiver) then peaked at 436-442 MB resident. At 2x: 255-257 MB, and 10,000 files took
// about as long as before (at 1.5x, 15-20% longer). Memory should follow what Ferry holds.
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 100;
let applied = false;

/** Process-wide; every engine host (CLI, desktop app, bench workers) gets it through createEngine. */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
