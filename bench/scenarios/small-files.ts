// Many 4 KiB files: tar through a TCP socket against Ferry, at each count, to show both the
// ratio and that Ferry's files/s holds up as the count grows. Between them, tar's stream saved
// by Node with Ferry's save calls: how much of the gap the save rule alone explains.
import { SCENARIO, type Plan } from '../lib/plan';
import type { Recorder } from '../lib/recorder';
import { ferryTree, tarPipeTree, type Ctx, type SourceTree } from '../lib/transfers';

export async function smallFiles(ctx: Ctx, plan: Plan, rec: Recorder, trees: SourceTree[], ferry: boolean): Promise<void> {
  for (const tree of trees) {
    const scenario = SCENARIO.small(tree.files);
    for (let i = 0; i < plan.runs; i++) {
      await rec.measure(scenario, 'tar-pipe', () => tarPipeTree(ctx, scenario, tree));
      await rec.measure(scenario, 'tar-save', () => tarPipeTree(ctx, scenario, tree, 'tar-save'));
      if (ferry) await rec.measure(scenario, 'ferry', () => ferryTree(ctx, scenario, tree));
    }
  }
}

/** One batch of many small files through Ferry alone: peak RSS against the file count. */
export async function manyFiles(ctx: Ctx, rec: Recorder, tree: SourceTree): Promise<void> {
  const scenario = SCENARIO.many(tree.files);
  await rec.measure(scenario, 'ferry', () => ferryTree(ctx, scenario, tree));
}
