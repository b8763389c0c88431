// What a run measures, full or --quick. Scenario names are the keys the targets look up.
import { GiB, MiB, type Tool } from './types';

export interface Plan {
  quick: boolean;
  /** Repeats of each loopback measurement (medians are reported). */
  runs: number;
  /** The one large file: loopback, shaped link and TLS-vs-plain all send it. */
  largeFileBytes: number;
  /** A bigger file, Ferry only, to show peak RSS does not grow with size. */
  hugeFileBytes: number;
  smallFileBytes: number;
  smallFileCounts: number[];
  /** One batch this big, Ferry only, for peak RSS against the file count (--only many). */
  manyFileCount: number;
  shapedRuns: number;
  netns: boolean;
  /** Parts to run (--only tls,large,small,huge,shaped); all by default. */
  parts: Set<Part>;
  /** Folder for --cpu-prof output of the Ferry workers, when profiling. */
  profileDir?: string;
}

export const SCENARIO = {
  large: 'large file, loopback',
  huge: 'huge file, loopback',
  small: (n: number) => `${n} small files, loopback`,
  shaped: 'large file, 1 Gbit/s tbf link',
  tls: 'ws TLS vs plain, loopback',
  many: (n: number) => `${n} files in one batch, loopback`,
} as const;

export const PARTS = ['tls', 'large', 'small', 'huge', 'shaped', 'many'] as const;
export type Part = (typeof PARTS)[number];
/** 'many' only on request: it adds a minute and has no target of its own. */
const DEFAULT_PARTS = PARTS.filter((p) => p !== 'many');

/** What each small-files run measures, in order: tar, the references, Ferry. Each keeps its destination. */
export const SMALL_FILE_TOOLS = ['tar-pipe', 'tar-save', 'ws-tls-save', 'ws-tls-save-thread', 'ferry'] as const satisfies readonly Tool[];

function parseParts(list: string | undefined): Set<Part> {
  if (!list) return new Set(DEFAULT_PARTS);
  const parts = list.split(',');
  const bad = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (bad.length) throw new Error(`--only takes a comma-separated list of ${PARTS.join(', ')}; not: ${bad.join(', ')}`);
  return new Set(parts as Part[]);
}

export function makePlan(argv: string[]): Plan {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(value('--runs') ?? (quick ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error('--runs takes a whole number from 1 to 20');
  const plan: Plan = quick
    ? {
        quick,
        runs,
        largeFileBytes: 32 * MiB,
        hugeFileBytes: 96 * MiB,
        smallFileBytes: 4096,
        smallFileCounts: [100, 300, 1000],
        manyFileCount: 10_000,
        shapedRuns: 1,
        netns: true,
        parts: parseParts(value('--only')),
      }
    : {
        quick,
        runs,
        largeFileBytes: 1 * GiB,
        hugeFileBytes: 4 * GiB,
        smallFileBytes: 4096,
        smallFileCounts: [1000, 5000, 10_000],
        // The most one offer may list (LIMITS.maxOfferEntries).
        manyFileCount: 100_000,
        // One run moved by a point between minutes (Ferry 91.1 %, then 93.4 %): the median of three.
        shapedRuns: 3,
        netns: true,
        parts: parseParts(value('--only')),
      };
  if (argv.includes('--no-netns')) plan.netns = false;
  const prof = value('--profile');
  if (argv.includes('--profile')) plan.profileDir = prof && !prof.startsWith('--') ? prof : 'bench/results/profiles';
  return plan;
}

/** Disk the run needs at its peak, counted high: every source and every destination still kept. */
export function diskNeeded(p: Plan): number {
  const has = (part: Part) => p.parts.has(part);
  const block = Math.max(p.smallFileBytes, 4096); // a small file takes a block at least
  // The large file is always made; its destinations go after each run.
  const large = p.largeFileBytes * (has('tls') || has('large') || has('shaped') ? 2 : 1);
  const huge = has('huge') ? 2 * p.hugeFileBytes : 0;
  // Small-file destinations stay until the end (bench/lib/transfers.ts says why): one per tool and run.
  const smallTree = p.smallFileCounts.reduce((a, n) => a + n * block, 0);
  const small = has('small') ? smallTree * (1 + SMALL_FILE_TOOLS.length * p.runs) : 0;
  const many = has('many') ? 2 * p.manyFileCount * block : 0;
  return large + huge + small + many;
}
