// One large file over loopback: the plain TCP pipe against Ferry, runs interleaved so that
// background load hits both alike. Then one huge file through Ferry, for peak RSS against size.
import { SCENARIO, type Plan } from '../lib/plan';
import type { Recorder } from '../lib/recorder';
import { ferryFile, tcpPipeFile, type Ctx, type SourceFile } from '../lib/transfers';

export async function largeFile(ctx: Ctx, plan: Plan, rec: Recorder, src: SourceFile, ferry: boolean): Promise<void> {
  for (let i = 0; i < plan.runs; i++) {
    await rec.measure(SCENARIO.large, 'tcp-pipe', () => tcpPipeFile(ctx, SCENARIO.large, src));
    if (ferry) await rec.measure(SCENARIO.large, 'ferry', () => ferryFile(ctx, SCENARIO.large, src));
  }
}

export async function hugeFile(ctx: Ctx, rec: Recorder, src: SourceFile): Promise<void> {
  await rec.measure(SCENARIO.huge, 'ferry', () => ferryFile(ctx, SCENARIO.huge, src));
}
