// The lab itself: hosts are really separate stacks, everything is removed afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createLab, netnsUnavailable, PREFIX, removeStale } from './netns';

const unavailable = netnsUnavailable();
const namespaces = () => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]);

test('a lab builds separate hosts on one link and destroys them', { timeout: 30_000, skip: unavailable ? `network namespaces unavailable: ${unavailable}` : false }, async () => {
  const lab = await createLab(2);
  try {
    assert.deepEqual(lab.ipv4, ['10.201.0.1', '10.201.0.2']);
    assert.match(lab.linkLocal[1], /^fe80:.*%veth0$/);
    assert.match(lab.exec(0, ['ip', '-4', 'addr', 'show', 'dev', 'veth0']), /10\.201\.0\.1\/24/);
    assert.doesNotMatch(lab.exec(0, ['ip', 'link']), /eth0:|br0/, 'a host sees only its own interfaces');
    assert.match(lab.exec(1, ['ip', 'neigh', 'show']) + lab.exec(1, ['ip', 'route']), /10\.201\.0\.0\/24/);
  } finally {
    lab.destroy();
  }
  assert.deepEqual(namespaces().filter((n) => lab.hosts.includes(n)), []);
});

test('leftovers of a killed run are removed, live ones are not', { timeout: 30_000, skip: unavailable ? `network namespaces unavailable: ${unavailable}` : false }, async () => {
  const dead = `${PREFIX}999999999-0-h0`;
  spawnSync('ip', ['netns', 'add', dead]);
  const lab = await createLab(1); // calls removeStale itself
  try {
    assert.ok(!namespaces().includes(dead), 'stale namespace removed');
    assert.deepEqual(removeStale(), [], 'our own live lab is kept');
    assert.ok(namespaces().includes(lab.hosts[0]));
  } finally {
    lab.destroy();
  }
});
