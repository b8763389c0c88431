import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { InterfaceWatcher, linkOf, usableLinks, type Link } from '../../src/main/engine/discovery/interfaces';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` });
const v6 = (address: string, scopeid: number, internal = false): NetworkInterfaceInfo => ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal, cidr: `${address}/64`, scopeid });

const table = {
  lo: [v4('127.0.0.1', true), v6('::1', 0, true)],
  eth0: [v4('192.168.1.10'), v6('fd00::2', 0), v6('fe80::1', 2)],
  wg0: [v4('10.9.0.2')],
};

test('every external interface, IPv6 only where it has a link-local address', () => {
  const links = usableLinks(table);
  assert.deepEqual(links.map((l) => `${l.name} v${l.family} ${l.address}`), ['eth0 v4 192.168.1.10', 'eth0 v6 fe80::1%eth0', 'wg0 v4 10.9.0.2']);
});

test('a restriction names exactly the interfaces to use, loopback included', () => {
  assert.deepEqual(usableLinks(table, ['lo']).map((l) => l.address), ['127.0.0.1']);
  assert.deepEqual(usableLinks(table, ['nope']), []);
});

test('the link a datagram came in on is judged from its source', () => {
  const links = usableLinks(table);
  assert.equal(linkOf(links, '192.168.1.77')?.name, 'eth0');
  assert.equal(linkOf(links, '192.168.2.77'), undefined);
  assert.equal(linkOf(links, 'fe80::99%eth0')?.family, 6);
  assert.equal(linkOf(links, 'fe80::99%wlan0'), undefined);
  assert.equal(linkOf(links, 'fd00::9'), undefined);
});

test('the watcher reports interfaces that come and go', () => {
  let current: Record<string, NetworkInterfaceInfo[]> = { lo: table.lo };
  const w = new InterfaceWatcher(undefined, 60_000, () => current);
  const log: string[] = [];
  w.on('added', (l: Link) => log.push(`+${l.name}/${l.family}`));
  w.on('removed', (l: Link) => log.push(`-${l.name}/${l.family}`));
  w.poll();
  current = { lo: table.lo, wlan0: [v4('192.168.1.20'), v6('fe80::2', 3)] };
  w.poll();
  w.poll();
  current = { lo: table.lo, wlan0: [v4('192.168.1.21'), v6('fe80::2', 3)] }; // new DHCP lease
  w.poll();
  current = { lo: table.lo };
  w.poll();
  assert.deepEqual(log, ['+wlan0/4', '+wlan0/6', '-wlan0/4', '+wlan0/4', '-wlan0/4', '-wlan0/6']);
});
