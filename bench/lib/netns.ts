// Two network namespaces joined by a veth pair, the sender's end shaped with tc tbf.
// Addresses live only inside these namespaces. Everything is named with PREFIX so a crashed
// run's leftovers are found and removed on the next start.
import { spawnSync } from 'node:child_process';

export const PREFIX = 'fbench-';

export interface ShapedLink {
  sender: { netns: string; address: string };
  receiver: { netns: string; address: string };
  /** The shaped rate in bits per second. */
  rateBits: number;
  remove(): void;
}

function ip(args: string[], check = true): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (check && r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout ?? '';
}

/** Why shaped-link runs cannot happen here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const tool of ['ip', 'tc']) {
    if (spawnSync(tool, ['-V']).error) return `'${tool}' is not installed (iproute2)`;
  }
  return null;
}

export function removeStale(): string[] {
  const names = ip(['netns', 'list'], false)
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(PREFIX));
  for (const n of names) ip(['netns', 'del', n], false);
  return names;
}

/**
 * Creates the pair and shapes sender -> receiver with
 * `tc qdisc add dev <veth> root tbf rate <rate> burst <burst> latency <latency>`.
 * The burst must exceed rate/HZ or tbf cannot reach its rate; 1 MB is ample at 1 Gbit/s and
 * negligible against a transfer of hundreds of MB.
 */
export function createShapedLink(rate = '1gbit', rateBits = 1e9, burst = '1mb', latency = '20ms'): ShapedLink {
  const id = String(process.pid % 100_000);
  const nsA = `${PREFIX}${id}-a`;
  const nsB = `${PREFIX}${id}-b`;
  const vethA = `fbv${id}a`;
  const vethB = `fbv${id}b`;
  const [addrA, addrB] = ['10.231.77.1', '10.231.77.2'];
  const remove = () => {
    ip(['netns', 'del', nsA], false);
    ip(['netns', 'del', nsB], false);
  };
  try {
    ip(['netns', 'add', nsA]);
    ip(['netns', 'add', nsB]);
    ip(['link', 'add', vethA, 'netns', nsA, 'type', 'veth', 'peer', 'name', vethB, 'netns', nsB]);
    for (const [ns, dev, addr] of [
      [nsA, vethA, addrA],
      [nsB, vethB, addrB],
    ]) {
      ip(['-n', ns, 'addr', 'add', `${addr}/30`, 'dev', dev]);
      ip(['-n', ns, 'link', 'set', dev, 'up']);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    ip(['netns', 'exec', nsA, 'tc', 'qdisc', 'add', 'dev', vethA, 'root', 'tbf', 'rate', rate, 'burst', burst, 'latency', latency]);
  } catch (err) {
    remove();
    throw err;
  }
  process.once('exit', remove); // also on a crash of the harness itself
  return { sender: { netns: nsA, address: addrA }, receiver: { netns: nsB, address: addrB }, rateBits, remove };
}
