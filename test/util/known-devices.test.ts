import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { KnownDevice } from '../../src/shared/types';
import { KnownDevices } from '../../src/main/engine/store/known-devices';
import { defaultStateDir } from '../../src/main/engine/store/state-dir';
import { tempDir } from './tmp-dir';

const fp = (n: number): string => n.toString(16).padStart(64, '0');

test('devices are remembered, trusted, untrusted and forgotten, and persist', async (t) => {
  const dir = await tempDir(t);
  const devices = await KnownDevices.open(dir);
  assert.deepEqual(devices.list(), []);
  const events: KnownDevice[][] = [];
  devices.on('changed', (list) => events.push(list));

  await devices.upsertSeen({ fingerprint: fp(1).toUpperCase(), name: 'Alice laptop', address: '10.0.0.2', port: 53417 });
  const a = devices.get(fp(1))!;
  assert.equal(a.name, 'Alice laptop');
  assert.equal(a.lastAddress, '10.0.0.2');
  assert.equal(a.trusted, false);
  assert.ok(a.lastSeen > 0);
  assert.equal(devices.isTrusted(fp(1)), false);

  await devices.trust(fp(1));
  assert.equal(devices.isTrusted(fp(1)), true);
  await devices.upsertSeen({ fingerprint: fp(1), name: 'Alice renamed', address: '10.0.0.3', port: 1234 });
  assert.equal(devices.get(fp(1))!.trusted, true, 'seeing a device again keeps its trust');
  assert.equal(devices.get(fp(1))!.name, 'Alice renamed');
  assert.equal(devices.get(fp(1))!.lastPort, 1234);

  const reopened = await KnownDevices.open(dir);
  assert.deepEqual(reopened.list(), devices.list());

  await devices.untrust(fp(1));
  assert.equal(devices.isTrusted(fp(1)), false);
  await devices.forget(fp(1));
  assert.equal(devices.get(fp(1)), undefined);
  assert.deepEqual((await KnownDevices.open(dir)).list(), []);
  assert.ok(events.length >= 4);
  assert.deepEqual(events[events.length - 1], []);
});

test('a known name with another fingerprint is a conflict', async (t) => {
  const devices = await KnownDevices.open(await tempDir(t));
  await devices.upsertSeen({ fingerprint: fp(1), name: 'Office PC', address: '10.0.0.2', port: 1 });
  assert.equal(devices.nameConflict('Office PC', fp(1)), false);
  assert.equal(devices.nameConflict('office pc', fp(2)), true);
  assert.equal(devices.nameConflict('Other', fp(2)), false);
  assert.deepEqual(devices.findByName('OFFICE PC').map((d) => d.fingerprint), [fp(1)]);
});

test('trusting an unknown fingerprint pins it ahead of its first visit', async (t) => {
  const devices = await KnownDevices.open(await tempDir(t));
  await devices.trust(fp(7));
  assert.equal(devices.isTrusted(fp(7)), true);
  await devices.untrust(fp(8));
  assert.equal(devices.get(fp(8)), undefined);
});

test('concurrent changes are all kept (writes are serialised)', async (t) => {
  const dir = await tempDir(t);
  const devices = await KnownDevices.open(dir);
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      i % 2 ? devices.trust(fp(i)) : devices.upsertSeen({ fingerprint: fp(i), name: `d${i}`, address: '::1', port: i }),
    ),
  );
  assert.equal(devices.list().length, 40);
  const reopened = await KnownDevices.open(dir);
  assert.equal(reopened.list().length, 40);
  assert.equal(reopened.list().filter((d) => d.trusted).length, 20);
});

test('a change made by another process is not overwritten', async (t) => {
  const dir = await tempDir(t);
  const receiver = await KnownDevices.open(dir);
  const cli = await KnownDevices.open(dir);
  await cli.trust(fp(3));
  await receiver.upsertSeen({ fingerprint: fp(4), name: 'x', address: '::1', port: 1 });
  assert.equal(receiver.isTrusted(fp(3)), true, 'picked up at the next write');
  const onDisk = await KnownDevices.open(dir);
  assert.equal(onDisk.isTrusted(fp(3)), true);
  assert.ok(onDisk.get(fp(4)));
  await cli.untrust(fp(3));
  await receiver.reload();
  assert.equal(receiver.isTrusted(fp(3)), false);
});

test('a damaged devices file gives an empty list and bad entries are dropped', async (t) => {
  const dir = await tempDir(t);
  await fs.writeFile(join(dir, 'devices.json'), JSON.stringify({ version: 1, devices: [{ fingerprint: 'nope' }, { fingerprint: fp(5), trusted: 'yes' }, null] }));
  const devices = await KnownDevices.open(dir);
  assert.deepEqual(devices.list(), [{ fingerprint: fp(5), name: '', lastAddress: '', lastPort: 0, lastSeen: 0, trusted: false }]);
  await fs.writeFile(join(dir, 'devices.json'), '{oops');
  assert.deepEqual((await KnownDevices.open(dir)).list(), []);
});

test('defaultStateDir follows FERRY_HOME, then the OS config folder', () => {
  assert.equal(defaultStateDir({ FERRY_HOME: '/x/ferry' }, 'linux', '/home/u'), '/x/ferry');
  assert.equal(defaultStateDir({}, 'linux', '/home/u'), join('/home/u', '.config', 'ferry'));
  assert.equal(defaultStateDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u'), join('/cfg', 'ferry'));
  assert.equal(defaultStateDir({}, 'darwin', '/Users/u'), join('/Users/u', 'Library', 'Application Support', 'Ferry'));
  assert.equal(defaultStateDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'), join('C:\\Users\\u\\AppData\\Roaming', 'Ferry'));
});

test('a running instance sees a file replaced by another process on its next read', async (t) => {
  const dir = await tempDir(t);
  const receiver = await KnownDevices.open(dir);
  await receiver.upsertSeen({ fingerprint: fp(9), name: 'sender', address: '::1', port: 1 });
  const changed: KnownDevice[][] = [];
  receiver.on('changed', (l) => changed.push(l));
  const cli = await KnownDevices.open(dir);
  await cli.trust(fp(9));
  assert.equal(receiver.isTrusted(fp(9)), true, 'no write or reload needed');
  assert.equal(changed.length, 1);
  assert.equal(changed[0][0].trusted, true);
  await cli.forget(fp(9));
  assert.equal(receiver.get(fp(9)), undefined);
});
