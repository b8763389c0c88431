// Many 4 KiB files: tar through a TCP socket against Ferry, at each count, to show both the
// ratio and that Ferry's files/s holds up as the count grows. Between them, two references that
// place the gap: tar's stream saved by Node with Ferry's save calls (the save rule alone), and
// files packed into ws messages over TLS, each hashed and saved the same way, on the receiving
// thread or on a second one (the stack and the save rule, with none of Ferry's protocol).
import { SCENARIO, type Plan } from '../lib/plan';
import type { Recorder } from '../lib/recorder';
import { tlsFiles } from '../lib/tls-files';
import { ferryTree, tarPipeTree, wsPackTree, type Ctx, type SourceTree } from '../lib/transfers';

export async function smallFiles(ctx: Ctx, plan: Plan, rec: Recorder, trees: SourceTree[], ferry: boolean): Promise<void> {
  const tls = await tlsFiles(ctx.scratch);
  for (const tree of trees) {
    const scenario = SCENARIO.small(tree.files);
    for (let i = 0; i < plan.runs; i++) {
      await rec.measure(scenario, 'tar-pipe', () => tarPipeTree(ctx, scenario, tree));
      await rec.measure(scenario, 'tar-save', () => tarPipeTree(ctx, scenario, tree, 'tar-save'));
      await rec.measure(scenario, 'ws-tls-save', () => wsPackTree(ctx, scenario, tree, tls));
      await rec.measure(scenario, 'ws-tls-save-thread', () => wsPackTree(ctx, scenario, tree, tls, true));
      if (ferry) await rec.measure(scenario, 'ferry', () => ferryTree(ctx, scenario, tree));
    }
  }
}

/** One batch of many small files through Ferry alone: peak RSS against the file count. */
export async function manyFiles(ctx: Ctx, rec: Recorder, tree: SourceTree): Promise<void> {
  const scenario = SCENARIO.many(tree.files);
  await rec.measure(scenario, 'ferry', () => ferryTree(ctx, scenario, tree));
}
