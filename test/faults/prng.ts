// A small seeded PRNG (mulberry32), so a fault run can be replayed: the seed is printed, and
// FERRY_FAULT_SEED=<seed> runs the same kill points / mutations again.
export interface Rng {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function seededRng(label: string, seed = envSeed()): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  console.log(`${label}: seed ${seed} (replay with FERRY_FAULT_SEED=${seed})`);
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

function envSeed(): number {
  const v = Number(process.env.FERRY_FAULT_SEED);
  return Number.isInteger(v) && v > 0 ? v : Math.floor(Math.random() * 2 ** 31) + 1;
}
