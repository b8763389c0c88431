// Real sockets over loopback: two (and many) instances on one machine, restricted to 'lo'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { Discovery, type DiscoveryConfig } from '../../src/main/engine/discovery';
import { encodeAnnouncement } from '../../src/main/engine/discovery/announcement';
import { DEFAULT_ANSWER_LIMITS } from '../../src/main/engine/discovery/answer-limiter';
import type { Peer } from '../../src/shared/types';
import { until } from '../support/until';
import { fingerprint, freeUdpPort, loopbackMulticast, sleep, tempDir, waitFor } from './helpers';

const skipReason = loopbackMulticast();

async function node(t: { after(fn: () => Promise<void>): void }, n: number, port: number, extra: Partial<DiscoveryConfig> = {}) {
  const d = new Discovery({
    identity: { fingerprint: fingerprint(n), name: `node-${n}`, deviceType: 'desktop', port: 40000 + n },
    stateDir: await tempDir(t),
    port,
    interfaces: ['lo'],
    ...extra,
  });
  t.after(() => d.stop());
  return d;
}

test('two instances on one machine find each other over loopback and see a goodbye', { timeout: 20_000 }, async (t) => {
  const why = await skipReason;
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const port = await freeUdpPort();
  const a = await node(t, 1, port, { timing: { hintAfterMs: 500 } });
  const b = await node(t, 2, port);
  await a.start();
  const bSeesA = waitFor<Peer>(b, 'peerUpserted', (p) => p.fingerprint === fingerprint(1), 5000);
  const aSeesB = waitFor<Peer>(a, 'peerUpserted', (p) => p.fingerprint === fingerprint(2), 5000);
  await b.start();
  const [pa, pb] = await Promise.all([bSeesA, aSeesB]);
  assert.equal(pa.address, '127.0.0.1');
  assert.equal(pa.port, 40001);
  assert.equal(pa.name, 'node-1');
  assert.equal(pb.port, 40002);
  assert.equal(pb.source, 'multicast');
  assert.deepEqual(a.peers().map((p) => p.fingerprint), [fingerprint(2)], 'never lists itself');

  const renamed = waitFor<Peer>(a, 'peerUpserted', (p) => p.name === 'renamed', 3000);
  b.setName('renamed');
  await renamed;

  const gone = waitFor<string>(a, 'peerRemoved', (fp) => fp === fingerprint(2), 3000);
  const hint = waitFor<unknown>(a, 'hint', (h) => h !== null, 5000);
  await b.stop();
  await gone;
  assert.equal(a.peers().length, 0);
  await hint; // alone again: the hint comes back

  // A restart (same identity, new instance id) is found again, and clears the hint.
  const back = waitFor<Peer>(a, 'peerUpserted', (p) => p.fingerprint === fingerprint(2), 5000);
  const cleared = waitFor<unknown>(a, 'hint', (h) => h === null, 5000);
  await b.start();
  await Promise.all([back, cleared]);
});

test('a listen-only lookup finds peers but is never listed by them, nor removed with a goodbye', { timeout: 40_000 }, async (t) => {
  const why = await skipReason;
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const port = await freeUdpPort();
  const app = await node(t, 1, port);
  await app.start();
  // The lookup shares the app's identity, as `ferry peers` run next to the app does.
  const lookupOptions = { identity: { fingerprint: fingerprint(1), name: 'node-1', deviceType: 'desktop' as const, port: 49999 } };
  const lookup = await node(t, 1, port, { ...lookupOptions, listenOnly: true });
  const watcher = await node(t, 2, port);
  // Listening before start(): the app can be heard while start() still awaits its state file,
  // and a peer seen again unchanged is not reported again.
  // 10 s: on loopback every node is one source address, so an answer may be rate limited away;
  // the next periodic announcement (every 4 s, jittered) then does it.
  const watcherSeesApp = waitFor<Peer>(watcher, 'peerUpserted', (p) => p.fingerprint === fingerprint(1), 10_000);
  await watcher.start();
  await watcherSeesApp;
  const found = waitFor<Peer>(lookup, 'peerUpserted', (p) => p.fingerprint === fingerprint(2), 10_000);
  await lookup.start();
  assert.equal((await found).port, 40002);
  // The watcher's own start-up announcements can reach the lookup before its first query has gone out.
  await until(() => lookup.stats().sent.query > 0, 'a query from the lookup', 3000);
  await lookup.stop();
  await sleep(500);
  const seen = watcher.peers().find((p) => p.fingerprint === fingerprint(1));
  assert.ok(seen?.online, 'the app is still listed after the lookup ends');
  assert.equal(seen.port, 40001, 'the lookup never replaced the app in the list');
  assert.equal(lookup.stats().sent.announce + lookup.stats().sent.goodbye, 0);
  assert.ok(lookup.stats().sent.query > 0);
});

test('a flood of queries from one source gets a bounded number of answers', { timeout: 20_000 }, async (t) => {
  const why = await skipReason;
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const port = await freeUdpPort();
  const target = await node(t, 1, port);
  await target.start();
  await sleep(300);
  const flooder = createSocket('udp4');
  t.after(() => new Promise<void>((r) => flooder.close(() => r())));
  await new Promise<void>((r) => flooder.bind(0, '127.0.0.1', r));
  let answers = 0;
  flooder.on('message', () => answers++);
  for (let i = 0; i < 500; i++) {
    const query = encodeAnnouncement({
      kind: 'announce', query: true, fingerprint: fingerprint(100 + (i % 150)), instanceId: i.toString(16).padStart(16, '0'),
      name: `forged ${i}`, deviceType: 'laptop', port: 1000 + i, protocolVersion: 1,
    });
    flooder.send(query, port, '127.0.0.1');
    if (i % 50 === 49) await sleep(10);
  }
  await sleep(1000);
  assert.ok(answers >= 1, 'the first query is answered');
  assert.ok(answers <= DEFAULT_ANSWER_LIMITS.perSourceBurst + 1, `answers to one source: ${answers}`);
  assert.equal(target.stats().sent.answer, answers);
});

test('what a node sends stays bounded as the number of peers grows', { timeout: 60_000 }, async (t) => {
  const why = await skipReason;
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const interval = 1000;
  const sentPerNode = async (count: number) => {
    const port = await freeUdpPort();
    const nodes = await Promise.all(
      Array.from({ length: count }, (_, i) => node(t, i + 1, port, { timing: { announceIntervalMs: interval, peerTtlMs: 3 * interval } })),
    );
    // A real listener on the group counts every multicast datagram by sender.
    const counter = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => counter.bind(port, '0.0.0.0', r));
    counter.addMembership('224.0.0.167', '127.0.0.1');
    let multicasts = 0;
    let counting = false;
    counter.on('message', () => counting && multicasts++);
    await Promise.all(nodes.map((d) => d.start()));
    await sleep(2500); // start bursts and answers settle
    const full = nodes.filter((d) => d.peers().length === count - 1).length;
    const answersBefore = nodes.reduce((s, d) => s + d.stats().sent.answer, 0);
    counting = true;
    await sleep(3 * interval);
    counting = false;
    const answersDuring = nodes.reduce((s, d) => s + d.stats().sent.answer, 0) - answersBefore;
    await Promise.all(nodes.map((d) => d.stop()));
    await new Promise<void>((r) => counter.close(() => r()));
    const maxAnswers = Math.max(...nodes.map((d) => d.stats().sent.answer));
    return { full, perNode: multicasts / count, answersDuring, maxAnswers };
  };
  const small = await sentPerNode(3);
  const large = await sentPerNode(24);
  t.diagnostic(`3 nodes: ${JSON.stringify(small)}; 24 nodes: ${JSON.stringify(large)}`);
  assert.equal(small.full, 3, 'every node of 3 sees the other 2');
  assert.equal(large.full, 24, 'every node of 24 sees the other 23');
  // Steady state: one announce per interval each (plus jitter), and no answers at all.
  for (const r of [small, large]) {
    assert.ok(r.perNode >= 2 && r.perNode <= 4, `multicasts per node in 3 intervals: ${r.perNode}`);
    assert.equal(r.answersDuring, 0);
  }
  // Start-up: a node answers each newcomer at most once, and never past the total budget.
  assert.ok(large.maxAnswers <= 23 && large.maxAnswers <= DEFAULT_ANSWER_LIMITS.totalBurst + 3 * DEFAULT_ANSWER_LIMITS.totalPerSec);
});

test('garbage on the discovery port is dropped and counted; discovery carries on', { timeout: 20_000 }, async (t) => {
  const why = await skipReason;
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const port = await freeUdpPort();
  const a = await node(t, 1, port);
  await a.start();
  await sleep(200);
  const junk = createSocket('udp4');
  t.after(() => new Promise<void>((r) => junk.close(() => r())));
  const payloads = ['', 'hello', '{"ferry":1}', '{"ferry":1,"t":"announce","fp":"zz"}', 'x'.repeat(2000), '\u0000\u00ff'];
  for (const p of payloads) junk.send(Buffer.from(p, 'latin1'), port, '127.0.0.1');
  await sleep(300);
  assert.equal(a.stats().dropped, payloads.length);
  assert.equal(a.peers().length, 0);
  const b = await node(t, 2, port);
  const seen = waitFor<Peer>(a, 'peerUpserted', (p) => p.fingerprint === fingerprint(2), 5000);
  await b.start();
  await seen;
});

test('a discovery port held by another program is reported as E_IO, without a crash', { timeout: 20_000 }, async (t) => {
  const port = await freeUdpPort();
  const holder = createSocket('udp4'); // no SO_REUSEADDR: nobody may share the port
  await new Promise<void>((r) => holder.bind(port, '0.0.0.0', r));
  t.after(() => new Promise<void>((r) => holder.close(() => r())));
  const a = await node(t, 1, port);
  const failed = waitFor<{ code: string; message: string }>(a, 'error', () => true, 5000);
  await a.start();
  const err = await failed;
  assert.equal(err.code, 'E_IO');
  assert.match(err.message, new RegExp(`UDP port ${port}`));
});
