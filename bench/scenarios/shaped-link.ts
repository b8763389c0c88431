// The large file over a veth pair shaped to 1 Gbit/s with tc tbf, sender and receiver in two
// network namespaces: the TCP pipe for reference, then Ferry.
import { createShapedLink } from '../lib/netns';
import { SCENARIO, type Plan } from '../lib/plan';
import type { Recorder } from '../lib/recorder';
import { ferryFile, tcpPipeFile, type Ctx, type SourceFile } from '../lib/transfers';

/** Returns the link rate in bits/s that the results are judged against. */
export async function shapedLink(ctx: Ctx, plan: Plan, rec: Recorder, src: SourceFile, ferry: boolean): Promise<number> {
  const link = await createShapedLink();
  try {
    const shaped: Ctx = {
      ...ctx,
      placement: {
        sender: { netns: link.sender.netns, address: link.sender.address },
        receiver: { netns: link.receiver.netns, address: link.receiver.address },
      },
    };
    for (let i = 0; i < plan.shapedRuns; i++) {
      await rec.measure(SCENARIO.shaped, 'tcp-pipe', () => tcpPipeFile(shaped, SCENARIO.shaped, src));
      if (ferry) await rec.measure(SCENARIO.shaped, 'ferry', () => ferryFile(shaped, SCENARIO.shaped, src));
    }
    return link.rateBits;
  } finally {
    link.remove();
  }
}
