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

export async function smallFiles(ctx: Ctx, plan: Plan, rec: Recorder, trees: SourceTree[], ferry: boolean): Promise<void> {
  const tls = await tlsFiles(ctx.scratch);
  for (const tree of trees) {
    const scenario = SCENARIO.small(tree.files);
    const runs: Record<SmallFileTool, (() => Promise<RunResult>) | null> = {
      'tar-pipe': () => tarPipeTree(ctx, scenario, tree),
      'tar-save': () => tarPipeTree(ctx, scenario, tree, 'tar-save'),
      'ws-tls-save': () => wsPackTree(ctx, scenario, tree, tls),
      'ws-tls-save-thread': () => wsPackTree(ctx, scenario, tree, tls, true),
      ferry: ferry ? () => ferryTree(ctx, scenario, tree) : null,
    };
    for (let i = 0; i < plan.runs; i++) {
      for (const tool of SMALL_FILE_TOOLS) {
        const run = runs[tool];
        if (run) await rec.measure(scenario, tool, run);
      }
    }
  }
}

/** One batch of many small files through Ferry alone: peak RSS against the file count. */
export async function manyFiles(ctx: Ctx, rec: Recorder, tree: SourceTree): Promise<void> {
  const scenario = SCENARIO.many(tree.files);
  await rec.measure(scenario, 'ferry', () => ferryTree(ctx, scenario, tree));
}
