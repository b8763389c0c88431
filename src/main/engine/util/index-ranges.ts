// File indices as inclusive [first, last] ranges: how an accept names the files that start from 0
// and how the finished-transfer record keeps the saved ones. A batch of 100,000 files is one range.

export type IndexRange = [number, number];

/** Ascending, distinct indices -> ranges: [0,1,2,5] -> [[0,2],[5,5]]. */
export function toRanges(sorted: Iterable<number>): IndexRange[] {
  const out: IndexRange[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** The indices of ranges, in order. */
export function fromRanges(ranges: readonly IndexRange[]): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges) for (let i = a; i <= b; i++) out.push(i);
  return out;
}

/** Whether ranges ascend without overlapping, each first <= last < count (what a peer sends must). */
export function rangesInOrder(ranges: readonly IndexRange[], count: number): boolean {
  let next = 0;
  for (const [a, b] of ranges) {
    if (a < next || a > b || b >= count) return false;
    next = b + 1;
  }
  return true;
}
