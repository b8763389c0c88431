// Which network links discovery uses, and noticing when they come and go (a laptop joining
// Wi-Fi). Polling os.networkInterfaces() is portable; no OS offers one change event for all.
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** One interface and one family: where we join the group and send from. */
export interface Link {
  name: string;
  family: 4 | 6;
  /** IPv4 address, or IPv6 link-local with its %interface scope. */
  address: string;
  /** IPv4 netmask (for telling which link a sender is on); unused for IPv6. */
  netmask: string;
  /** IPv6 zone as the OS spells it in addresses: the name, or the index on Windows. */
  scope: string;
}

export const linkKey = (l: Link): string => `${l.name}/${l.family}/${l.address}`;

type Interfaces = ReturnType<typeof networkInterfaces>;

/**
 * Links to use: every non-internal interface, or exactly the named ones (loopback included,
 * for tests and two instances on one machine). IPv6 only where a link-local address exists:
 * ff02:: multicast is link-scoped and needs the interface.
 */
export function usableLinks(ifaces: Interfaces, only?: readonly string[]): Link[] {
  const links: Link[] = [];
  for (const [name, addrs] of Object.entries(ifaces)) {
    if (!addrs || (only ? !only.includes(name) : addrs.some((a) => a.internal))) continue;
    const v4 = addrs.find((a) => a.family === 'IPv4');
    if (v4) links.push({ name, family: 4, address: v4.address, netmask: v4.netmask, scope: '' });
    const v6 = addrs.find((a) => a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:'));
    if (v6?.family === 'IPv6') {
      const scope = process.platform === 'win32' ? String(v6.scopeid) : name;
      links.push({ name, family: 6, address: `${v6.address}%${scope}`, netmask: v6.netmask, scope });
    }
  }
  return links;
}

/** The link a datagram came in on, judged from its source address; undefined when none fits. */
export function linkOf(links: readonly Link[], source: string): Link | undefined {
  if (isIPv4(source)) return links.find((l) => l.family === 4 && sameSubnet(l.address, source, l.netmask));
  const scope = source.split('%')[1];
  return scope ? links.find((l) => l.family === 6 && l.scope === scope) : undefined;
}

function sameSubnet(a: string, b: string, mask: string): boolean {
  const n = (s: string) => s.split('.').reduce((acc, x) => ((acc << 8) | Number(x)) >>> 0, 0);
  return ((n(a) ^ n(b)) & n(mask)) >>> 0 === 0;
}

/** Emits 'added' and 'removed' (Link) as interfaces change. */
export class InterfaceWatcher extends EventEmitter {
  private current = new Map<string, Link>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly only: readonly string[] | undefined,
    private readonly pollMs = 2_500,
    private readonly list: () => Interfaces = networkInterfaces,
  ) {
    super();
  }

  links(): Link[] {
    return [...this.current.values()];
  }

  start(): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  /** Forgets the links too, so a later start() reports them all as added again. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.current = new Map();
  }

  poll(): void {
    const next = new Map(usableLinks(this.list(), this.only).map((l) => [linkKey(l), l]));
    for (const [k, l] of this.current) if (!next.has(k)) this.emit('removed', l);
    const before = this.current;
    this.current = next;
    for (const [k, l] of next) if (!before.has(k)) this.emit('added', l);
  }
}
