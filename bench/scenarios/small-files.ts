// Many 4 KiB files: tar through a TCP socket against Ferry, at each count, to show both the
// ratio and that Ferry's files/s holds up as the count grows. Between them, two references that
// place the gap: tar's stream saved by Node with Ferry's save calls (the save rule alone), and
// files packed into ws messages over TLS, each hashed and saved the same way, on the receiving
// thread or on a second one (the stack and the save rule, with none of Ferry's protocol).
import { SCENARIO, SMALL_FILE_TOOLS, type Plan } from '../lib/plan';
import type { Recorder } from '../lib/recorder';
import { tlsFiles } from '../lib/tls-files';
import type { RunResult } from '../lib/types';
import { ferryTree, tarPipeTree, wsPackTree, type Ctx, type SourceTree } from '../lib/transfers';

type SmallFileTool = (typeof SMALL_FILE_TOOLS)[number];

/**
 * tar and Ferry, alternating, at every count first; the references after them all. The references
 * save each file as a temp file that is linked and unlinked, 10,000 deletes a run, and on ext4
 * without a journal a file created within minutes of a mass delete costs several times more (see
 * docs/BENCHMARKS.md): run between the judged pair, they slowed whichever of the two came next.
 */
export async function smallFiles(ctx: Ctx, plan: Plan, rec: Recorder, trees: SourceTree[], ferry: boolean): Promise<void> {
  const tls = await tlsFiles(ctx.scratch);
  const runsOf = (tree: SourceTree): Record<SmallFileTool, (() => Promise<RunResult>) | null> => {
    const scenario = SCENARIO.small(tree.files);
    return {
      'tar-pipe': () => tarPipeTree(ctx, scenario, tree),
      'tar-save': () => tarPipeTree(ctx, scenario, tree, 'tar-save'),
      'ws-tls-save': () => wsPackTree(ctx, scenario, tree, tls),
      'ws-tls-save-thread': () => wsPackTree(ctx, scenario, tree, tls, true),
      ferry: ferry ? () => ferryTree(ctx, scenario, tree) : null,
    };
  };
  for (const tools of [JUDGED, SMALL_FILE_TOOLS.filter((t) => !JUDGED.includes(t))]) {
    for (const tree of trees) {
      const runs = runsOf(tree);
      for (let i = 0; i < plan.runs; i++) {
        for (const tool of tools) {
          const run = runs[tool];
          if (run) await rec.measure(SCENARIO.small(tree.files), tool, run);
        }
      }
    }
  }
}

/** The two tools the small-files targets compare. */
const JUDGED: readonly SmallFileTool[] = ['tar-pipe', 'ferry'];

/** One batch of many small files through Ferry alone: peak RSS against the file count. */
export async function manyFiles(ctx: Ctx, rec: Recorder, tree: SourceTree): Promise<void> {
  const scenario = SCENARIO.many(tree.files);
  await rec.measure(scenario, 'ferry', () => ferryTree(ctx, scenario, tree));
}
