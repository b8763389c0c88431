import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Peer } from '../../src/shared/types';
import { PeerRegistry, type KnownDevicesView, type Sighting } from '../../src/main/engine/discovery/registry';

const FP_A = 'a'.repeat(64);
const FP_B = 'b'.repeat(64);
const TTL = 12_000;

function setup(kd?: KnownDevicesView) {
  let t = 1_700_000_000_000;
  const reg = new PeerRegistry({ ttlMs: TTL, now: () => t, knownDevices: kd });
  const events: string[] = [];
  const last = new Map<string, Peer>();
  reg.on('upserted', (p: Peer) => {
    events.push(`up ${p.fingerprint[0]} ${p.name} ${p.address}`);
    last.set(p.fingerprint, p);
  });
  reg.on('removed', (fp: string) => events.push(`gone ${fp[0]}`));
  return { reg, events, last, advance: (ms: number) => (t += ms) };
}

const sighting = (over: Partial<Sighting> = {}): Sighting => ({
  fingerprint: FP_A,
  instanceId: '1111111111111111',
  name: 'Alpha',
  deviceType: 'desktop',
  port: 53417,
  protocolVersion: 1,
  address: '10.0.0.2',
  ...over,
});

test('a heard peer appears once, then only changes are emitted', () => {
  const { reg, events, last, advance } = setup();
  reg.heard(sighting());
  advance(4000);
  reg.heard(sighting());
  assert.deepEqual(events, ['up a Alpha 10.0.0.2']);
  const p = last.get(FP_A)!;
  assert.equal(p.source, 'multicast');
  assert.equal(p.online, true);
  assert.equal(p.fingerprint, FP_A, 'the announced fingerprint is what the transport pins');
  assert.equal(reg.peers()[0].lastSeen, p.lastSeen + 4000, 'lastSeen moves without an event');
  reg.heard(sighting({ name: 'Alpha 2' }));
  reg.heard(sighting({ name: 'Alpha 2', address: '10.0.0.9' }));
  assert.deepEqual(events.slice(1), ['up a Alpha 2 10.0.0.2', 'up a Alpha 2 10.0.0.9']);
});

test('a dual-stack peer keeps its IPv4 address while that is fresh', () => {
  const { reg, events, advance } = setup();
  reg.heard(sighting({ address: 'fe80::1%eth0' }));
  reg.heard(sighting());
  reg.heard(sighting({ address: 'fe80::1%eth0' }));
  assert.deepEqual(events, ['up a Alpha fe80::1%eth0', 'up a Alpha 10.0.0.2']);
  // IPv4 goes quiet, IPv6 keeps talking: the address falls back once v4 is stale.
  for (let i = 0; i < 4; i++) {
    advance(4000);
    reg.heard(sighting({ address: 'fe80::1%eth0' }));
    reg.sweep();
  }
  assert.deepEqual(events.slice(2), ['up a Alpha fe80::1%eth0']);
});

test('goodbye removes the peer at once; a goodbye from an older run does not', () => {
  const { reg, events } = setup();
  reg.heard(sighting());
  reg.goodbye(FP_A, '9999999999999999');
  assert.equal(reg.peers().length, 1);
  reg.goodbye(FP_A, '1111111111111111');
  assert.deepEqual(events, ['up a Alpha 10.0.0.2', 'gone a']);
  assert.equal(reg.peers().length, 0);
});

test('a datagram still in flight from a run that said goodbye does not bring it back', () => {
  const { reg, events, advance } = setup();
  reg.heard(sighting());
  reg.goodbye(FP_A, '1111111111111111');
  reg.heard(sighting()); // e.g. an answer sent just before the goodbye, delivered after it
  assert.equal(reg.peers().length, 0);
  reg.heard(sighting({ instanceId: '2222222222222222' })); // a new run is welcome at once
  assert.deepEqual(events, ['up a Alpha 10.0.0.2', 'gone a', 'up a Alpha 10.0.0.2']);
  reg.goodbye(FP_A, '2222222222222222');
  advance(TTL);
  reg.sweep();
  reg.heard(sighting({ instanceId: '2222222222222222' }));
  assert.equal(reg.peers().length, 1, 'the memory of a goodbye lasts one TTL');
});

test('a peer not heard for the TTL is removed by the sweep', () => {
  const { reg, events, advance } = setup();
  reg.heard(sighting());
  reg.heard(sighting({ fingerprint: FP_B, name: 'Beta', address: '10.0.0.3' }));
  advance(TTL - 1);
  reg.heard(sighting({ fingerprint: FP_B, name: 'Beta', address: '10.0.0.3' }));
  reg.sweep();
  assert.equal(reg.peers().length, 2);
  advance(1);
  reg.sweep();
  assert.deepEqual(reg.peers().map((p) => p.name), ['Beta']);
  assert.equal(events.at(-1), 'gone a');
});

test('a restart (new instance id) is tracked, and its goodbye is honoured', () => {
  const { reg, events } = setup();
  reg.heard(sighting());
  reg.heard(sighting({ instanceId: '2222222222222222', port: 40000 }));
  assert.equal(reg.get(FP_A)!.port, 40000);
  reg.goodbye(FP_A, '1111111111111111');
  assert.equal(reg.peers().length, 1, 'the old run cannot say goodbye for the new one');
  reg.goodbye(FP_A, '2222222222222222');
  assert.equal(events.at(-1), 'gone a');
});

test('manual and multicast sightings merge into one peer', () => {
  const { reg, events } = setup();
  const info = { fingerprint: FP_A, name: 'Alpha', deviceType: 'server' as const, port: 53417, protocolVersion: 1, address: '192.168.9.9' };
  reg.manual(info, false);
  assert.equal(reg.get(FP_A)!.online, false);
  assert.equal(reg.get(FP_A)!.source, 'manual');
  reg.heard(sighting());
  assert.equal(reg.get(FP_A)!.source, 'multicast');
  assert.equal(reg.get(FP_A)!.online, true);
  reg.goodbye(FP_A, '1111111111111111');
  assert.equal(reg.get(FP_A)!.source, 'manual', 'still listed: it was added by address');
  assert.equal(reg.get(FP_A)!.online, false);
  reg.forgetManual(FP_A);
  assert.equal(events.at(-1), 'gone a');
});

test('trust and fingerprint-changed flags come from known devices, and only online peers are recorded', () => {
  const seen: string[] = [];
  let trusted = false;
  const kd: KnownDevicesView = {
    isTrusted: (fp) => trusted && fp === FP_A,
    nameConflict: (name, fp) => name === 'Alpha' && fp !== FP_A,
    upsertSeen: (d) => seen.push(`${d.fingerprint[0]}@${d.address}:${d.port}`),
  };
  const { reg, last } = setup(kd);
  reg.heard(sighting());
  reg.heard(sighting({ fingerprint: FP_B, address: '10.0.0.66' }));
  assert.equal(last.get(FP_A)!.trusted, false);
  assert.equal(last.get(FP_A)!.fingerprintChanged, false);
  assert.equal(last.get(FP_B)!.fingerprintChanged, true, 'same name, other fingerprint: flagged');
  trusted = true;
  reg.refresh();
  assert.equal(last.get(FP_A)!.trusted, true);
  reg.manual({ fingerprint: 'c'.repeat(64), name: 'Gamma', deviceType: 'laptop', port: 1, protocolVersion: 1, address: 'x' }, false);
  assert.deepEqual(seen, ['a@10.0.0.2:53417', 'b@10.0.0.66:53417']);
});

test('a failing known-devices store does not stop the registry', () => {
  const errors: unknown[] = [];
  const kd: KnownDevicesView = {
    isTrusted: () => { throw new Error('disk gone'); },
    nameConflict: () => false,
    upsertSeen: () => Promise.reject(new Error('disk gone')),
  };
  const reg = new PeerRegistry({ knownDevices: kd, onError: (e) => errors.push(e) });
  reg.heard(sighting());
  assert.equal(reg.get(FP_A)!.trusted, false);
  assert.ok(errors.length >= 1);
});

test('the number of tracked peers is capped', () => {
  const reg = new PeerRegistry({ maxPeers: 3 });
  for (let i = 0; i < 10; i++) reg.heard(sighting({ fingerprint: i.toString(16).repeat(64) }));
  assert.equal(reg.peers().length, 3);
});
