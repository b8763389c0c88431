// The shaped link: two hosts of the namespace lab from test/netns/netns.ts (veth pairs on a
// bridge, addresses only inside the namespaces, stale namespaces of dead runs removed at
// creation, everything deleted on exit and on SIGINT/SIGTERM), with the sender's interface
// shaped by tc tbf.
import { createLab, netnsUnavailable } from '../../test/netns/netns';

export { netnsUnavailable };

export interface ShapedLink {
  sender: { netns: string; address: string };
  receiver: { netns: string; address: string };
  /** The shaped rate in bits per second. */
  rateBits: number;
  remove(): void;
}

/**
 * Shapes sender -> receiver with `tc qdisc add dev veth0 root tbf rate <rate> burst <burst> latency <latency>`
 * inside the sender's namespace. The burst must exceed rate/HZ or tbf cannot reach its rate; 1 MB
 * is ample at 1 Gbit/s and negligible against a transfer of hundreds of MB.
 */
export async function createShapedLink(rate = '1gbit', rateBits = 1e9, burst = '1mb', latency = '20ms'): Promise<ShapedLink> {
  const lab = await createLab(2);
  try {
    lab.exec(0, ['tc', 'qdisc', 'add', 'dev', lab.iface, 'root', 'tbf', 'rate', rate, 'burst', burst, 'latency', latency]);
  } catch (err) {
    lab.destroy();
    throw err;
  }
  return {
    sender: { netns: lab.hosts[0], address: lab.ipv4[0] },
    receiver: { netns: lab.hosts[1], address: lab.ipv4[1] },
    rateBits,
    remove: () => lab.destroy(),
  };
}
