// How V8 may grow the heap: the old generation past its live size before a full collection,
// the young generation not at all.
//
// Left to itself V8 allows up to 4x while collections look cheap: a batch of 100,000 small files
// (about 60 MB live on the receiver) then peaked at 436-442 MB resident; at 2x, 255-257 MB.
// Memory should follow what Ferry holds, so a large heap grows by 2x.
//
// A small heap needs more than 2x. V8 (11.3, Node 20) starts marking for the next full collection
// as soon as the room left under the limit is less than the young generation may promote at once
// (with its default 16 MB semi-spaces, --trace-incremental-marking showed marking start with 33 MB
// of room, never with 38). At 2x of a 12 MB heap the room is ~18 MB, so the receiver of 10,000
// small files ran a full collection every 80-100 ms, each starting right after the last, whatever
// it allocated: 5 in the transfer at 2x, 1 at 4x (before the data), and 1 with this rule.
//
// The young generation keeps the size it has when the engine starts (1 MB semi-spaces with Node
// 20's defaults: 2 MB of new space as v8.getHeapSpaceStatistics() reports it) instead of growing
// to 16 MB semi-spaces (32 MB). Memory that is new to the process costs a page fault, and on a
// VM that hands freed memory back to its host, a host fault too (docs/BENCHMARKS.md). The receiver
// of 10,000 small files then touched ~10,000 new pages instead of ~15,000 (peak RSS 104 MB instead
// of 125) and ran 18 scavenges instead of 13, each smaller. Newer V8 versions hold the factor at 2
// or more and ignore this; their young generation grows as before.
import { constants, type NodeGCPerformanceDetail, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

const MIN_HEADROOM = 48 * 1024 * 1024;
/** 2x: from a live heap of MIN_HEADROOM up. */
const MIN_PERCENT = 100;
/** 4x, V8's own ceiling: below 16 MB live the room is a little under MIN_HEADROOM (36 MB at 12). */
const MAX_PERCENT = 300;

let percent = 0;

/** The growth for a heap of liveBytes: at least MIN_HEADROOM of room, and at least 2x. */
export function growthPercentFor(liveBytes: number): number {
  const needed = Math.ceil((MIN_HEADROOM / Math.max(liveBytes, 1)) * 100);
  return Math.min(MAX_PERCENT, Math.max(MIN_PERCENT, needed));
}

/** The growth set now; 0 before limitHeapGrowth. */
export function heapGrowthPercent(): number {
  return percent;
}

/**
 * Process-wide; every engine host (CLI, desktop app, bench workers) gets it through createEngine.
 * V8 reads the flag each time it sets the next limit, after a full collection, so the growth is
 * worked out again from the heap left after each one.
 */
export function limitHeapGrowth(): void {
  if (percent) return;
  setFlagsFromString('--semi-space-growth-factor=1'); // read at each growth step: none from here on
  follow(getHeapStatistics().used_heap_size);
  new PerformanceObserver((list) => {
    if (list.getEntries().some(isFullCollection)) follow(getHeapStatistics().used_heap_size);
  }).observe({ entryTypes: ['gc'] });
}

function isFullCollection(e: PerformanceEntry): boolean {
  // A gc entry's detail (Node 20 types leave it off PerformanceEntry).
  const detail = (e as PerformanceEntry & { detail?: NodeGCPerformanceDetail }).detail;
  return detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}

function follow(liveBytes: number): void {
  const next = growthPercentFor(liveBytes);
  if (next === percent) return;
  percent = next;
  setFlagsFromString(`--heap-growing-percent=${next}`);
}
