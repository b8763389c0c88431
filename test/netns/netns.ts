// Network-namespace lab: N namespaces ("hosts"), each with one interface `veth0`, joined by a
// bridge in a hub namespace, so multicast, goodbyes and crashes are real between real stacks.
// Addresses (10.201.0.x/24 and IPv6 link-local) exist only inside the namespaces: nothing here
// touches the machine's own interfaces. Every name starts with PREFIX and the creating pid, so
// leftovers of a killed run are removed by the next one (removeStale).
//
//   const why = netnsUnavailable(); if (why) t.skip(`network namespaces unavailable: ${why}`);
//   const lab = await createLab(2); t.after(() => lab.destroy());
//   const child = lab.spawnNode(0, 'script.ts', [...]);   // runs inside host 0
//   lab.exec(1, ['tc', 'qdisc', 'add', 'dev', lab.iface, 'root', 'netem', 'delay', '50ms']);
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const PREFIX = 'ferry-t-';
/** The interface name inside every host namespace. */
export const IFACE = 'veth0';

export interface Lab {
  /** Namespace names of the hosts, index = host number. */
  readonly hosts: string[];
  readonly iface: string;
  /** IPv4 address of each host (no prefix length). */
  readonly ipv4: string[];
  /** IPv6 link-local address of each host, with %veth0. */
  readonly linkLocal: string[];
  /** Runs a command inside host i; throws with its stderr when it fails. */
  exec(i: number, argv: string[]): string;
  /** Starts `node --import tsx script ...args` inside host i; killed by destroy(). */
  spawnNode(i: number, script: string, args?: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Stops all multicast reaching host i (IPv4 and IPv6; so IPv6 neighbour discovery too). */
  blockMulticast(i: number): void;
  /** Kills children and deletes the namespaces (and with them the veths and bridge). Idempotent. */
  destroy(): void;
}

let seq = 0;
const live = new Set<Lab>();

function run(argv: string[], check = true): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (check && r.status !== 0) {
    throw new Error(`${argv.join(' ')} failed: ${(r.stderr || r.error?.message || `status ${r.status}`).trim()}`);
  }
  return r.stdout ?? '';
}

/** Why namespaces cannot be used here (for t.skip), or null when they can. Leaves nothing behind. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const tool of ['ip', 'tc']) if (spawnSync(tool, ['-V']).error) return `'${tool}' is not installed (apt-get install iproute2)`;
  const probe = `${PREFIX}${process.pid}-probe`;
  try {
    run(['ip', 'netns', 'add', probe]);
    run(['ip', 'netns', 'del', probe]);
  } catch (err) {
    return `ip netns add fails: ${(err as Error).message}`;
  }
  return null;
}

/** Deletes namespaces left by runs whose process is gone. Returns their names. */
export function removeStale(): string[] {
  const stale = run(['ip', 'netns', 'list'], false)
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(PREFIX) && !alive(Number(n.slice(PREFIX.length).split('-')[0])));
  for (const n of stale) run(['ip', 'netns', 'del', n], false);
  return stale;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function createLab(count: number): Promise<Lab> {
  if (count < 1 || count > 50) throw new Error('a lab has 1 to 50 hosts');
  removeStale();
  const base = `${PREFIX}${process.pid}-${seq++}`;
  const hub = `${base}-hub`;
  const hosts = Array.from({ length: count }, (_, i) => `${base}-h${i}`);
  const ipv4 = hosts.map((_, i) => `10.201.0.${i + 1}`);
  const children = new Set<ChildProcess>();
  let destroyed = false;
  const lab: Lab = {
    hosts,
    iface: IFACE,
    ipv4,
    linkLocal: [],
    exec: (i, argv) => run(['ip', 'netns', 'exec', hosts[i], ...argv]),
    spawnNode(i, script, args = [], env = {}) {
      const child = spawn('ip', ['netns', 'exec', hosts[i], process.execPath, '--import', 'tsx', script, ...args], {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return child;
    },
    blockMulticast(i) {
      // At the bridge, like client isolation on an access point: no multicast reaches host i.
      // (This kernel may lack tc filter actions, so filtering inside the host is not portable.)
      run(['ip', '-n', hub, 'link', 'set', `p${i}`, 'type', 'bridge_slave', 'mcast_flood', 'off']);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(lab);
      for (const c of children) c.kill('SIGKILL');
      for (const ns of [...hosts, hub]) run(['ip', 'netns', 'del', ns], false);
    },
  };
  live.add(lab);
  try {
    run(['ip', 'netns', 'add', hub]);
    run(['ip', '-n', hub, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0']);
    run(['ip', '-n', hub, 'link', 'set', 'br0', 'up']);
    hosts.forEach((ns, i) => {
      run(['ip', 'netns', 'add', ns]);
      // No duplicate address detection: link-local addresses are usable at once.
      run(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0']);
      run(['ip', 'link', 'add', IFACE, 'netns', ns, 'type', 'veth', 'peer', 'name', `p${i}`, 'netns', hub]);
      run(['ip', '-n', hub, 'link', 'set', `p${i}`, 'master', 'br0', 'up']);
      run(['ip', '-n', ns, 'addr', 'add', `${ipv4[i]}/24`, 'dev', IFACE]);
      run(['ip', '-n', ns, 'link', 'set', IFACE, 'multicast', 'on', 'up']);
      run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    });
    lab.linkLocal.push(...(await Promise.all(hosts.map((ns) => linkLocalOf(ns)))));
  } catch (err) {
    lab.destroy();
    throw err;
  }
  return lab;
}

/** Waits (bounded) for the kernel to assign the interface its IPv6 link-local address. */
async function linkLocalOf(ns: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = /inet6 (fe80:[0-9a-f:]+)\/64/.exec(run(['ip', '-n', ns, '-6', 'addr', 'show', 'dev', IFACE, 'scope', 'link']));
    if (m) return `${m[1]}%${IFACE}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no IPv6 link-local address on ${IFACE} in ${ns} after 5 s`);
}

// A test runner that times out kills us with SIGTERM; namespaces must not outlive the run.
const destroyAll = () => {
  for (const lab of [...live]) lab.destroy();
};
process.once('exit', destroyAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    destroyAll();
    process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
  });
}
