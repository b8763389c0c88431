// Every limit in src/shared/limits.ts that a peer can run into is enforced: open connections in
// total and per address, pending offers per device and overall, hello and idle time, control
// message rate. (Message sizes and offer entries: protocol.test.ts and offers.test.ts.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIMITS } from '../../src/shared/limits';
import { ConnectRefused, HostileClient, hostileIdentity, offerMessage } from '../support/hostile-client';
import { expectClosedWith, openArena, type Arena } from './arena';

async function withArena(fn: (a: Arena) => Promise<void>, opts: Parameters<typeof openArena>[0] = {}): Promise<void> {
  const a = await openArena(opts);
  try {
    await fn(a);
  } finally {
    await a.close();
  }
}

/** Opens up to `n` hostile connections from `localAddress`; returns those that opened and the refusals. */
async function openMany(a: Arena, n: number, localAddress: string) {
  const open: HostileClient[] = [];
  const refused: number[] = [];
  for (let i = 0; i < n; i++) {
    try {
      open.push(await a.ready({ localAddress }));
    } catch (err) {
      if (!(err instanceof ConnectRefused)) throw err;
      refused.push(err.status);
    }
  }
  return { open, refused };
}

test('limits: connections per address (maxConnectionsPerAddress) -> HTTP 503; other addresses keep working', async () => {
  await withArena(async (a) => {
    const before = await a.snapshot();
    const { open, refused } = await openMany(a, LIMITS.maxConnectionsPerAddress + 3, '127.0.0.2');
    try {
      assert.equal(open.length, LIMITS.maxConnectionsPerAddress);
      assert.deepEqual(refused, [503, 503, 503]);
      await a.goodTransfer(); // from 127.0.0.1
      for (const c of open) assert.ok(await c.roundTrip(), 'an admitted connection was dropped');
    } finally {
      await Promise.all(open.map((c) => c.end()));
    }
    // Slots come back once the connections are gone.
    const again = await a.ready({ localAddress: '127.0.0.2' });
    await again.end();
    await a.assertClean(before);
  });
});

test('limits: connections in total (maxConnections) -> HTTP 503; served again once they close', async () => {
  await withArena(async (a) => {
    const per = LIMITS.maxConnectionsPerAddress;
    const hosts = Math.ceil(LIMITS.maxConnections / per) + 1;
    const all: HostileClient[] = [];
    const refusals: number[] = [];
    try {
      for (let h = 0; h < hosts; h++) {
        const { open, refused } = await openMany(a, per, `127.0.1.${h + 1}`);
        all.push(...open);
        refusals.push(...refused);
      }
      assert.equal(all.length, LIMITS.maxConnections);
      assert.equal(refusals.length, hosts * per - LIMITS.maxConnections);
      assert.ok(refusals.every((s) => s === 503));
    } finally {
      await Promise.all(all.map((c) => c.end()));
    }
    await a.goodTransfer();
  });
});

test('limits: pending offers from one address, however many identities it makes (maxPendingOffersPerAddress) -> reject E_LIMIT', async () => {
  await withArena(
    async (a) => {
      const clients: HostileClient[] = [];
      const results: string[] = [];
      try {
        for (let d = 0; d <= LIMITS.maxPendingOffersPerAddress; d++) {
          const id = await hostileIdentity(join(a.good.stateDir, `churn-${d}`)); // a fresh identity per offer
          const c = await HostileClient.connect({ port: a.port, identity: id, localAddress: '127.0.3.1' });
          clients.push(c);
          await c.hello();
          c.sendJson(offerMessage([{ path: `churn-${d}.bin`, size: 10 }]));
          const r = await c.waitFor((m) => 't' in m && (m.t === 'reject' || m.t === 'accept' || m.t === 'error'), 1_500);
          results.push(r && 't' in r ? `${r.t}:${String(r.code ?? '')}` : 'waiting');
        }
        assert.deepEqual(results, [...Array(LIMITS.maxPendingOffersPerAddress).fill('waiting'), 'reject:E_LIMIT']);
        // Another host still gets asked.
        const other = await HostileClient.connect({ port: a.port, identity: await hostileIdentity(join(a.good.stateDir, 'other')), localAddress: '127.0.3.2' });
        clients.push(other);
        await other.hello();
        other.sendJson(offerMessage([{ path: 'other.bin', size: 10 }]));
        const r = await other.waitFor((m) => 't' in m && (m.t === 'reject' || m.t === 'accept' || m.t === 'error'), 1_500);
        assert.equal(r, null, `another address is not refused: ${JSON.stringify(r)}`);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    },
    { acceptPolicy: 'ask' },
  );
});

test('limits: pending offers per device (maxPendingOffersPerPeer) and overall (maxPendingOffers) -> reject E_LIMIT', async () => {
  await withArena(
    async (a) => {
      const before = await a.snapshot();
      const clients: HostileClient[] = [];
      const outcome = async (c: HostileClient) => {
        const r = await c.waitFor((m) => 't' in m && (m.t === 'reject' || m.t === 'accept' || m.t === 'error'), 1_500);
        return r && 't' in r ? `${r.t}:${String(r.code ?? '')}` : 'waiting';
      };
      try {
        // One device: the first maxPendingOffersPerPeer wait, the next is refused.
        for (let i = 0; i <= LIMITS.maxPendingOffersPerPeer; i++) {
          const c = await a.ready();
          clients.push(c);
          c.sendJson(offerMessage([{ path: `p${i}.bin`, size: 10 }]));
          assert.equal(await outcome(c), i < LIMITS.maxPendingOffersPerPeer ? 'waiting' : 'reject:E_LIMIT', `offer ${i}`);
        }
        // Many devices (a new key is free to make): the total is capped too.
        const results: string[] = [];
        for (let d = 0; d < Math.ceil(LIMITS.maxPendingOffers / LIMITS.maxPendingOffersPerPeer) + 1; d++) {
          const id = await hostileIdentity(join(a.good.stateDir, `hid-${d}`)); // outside the watched tree
          for (let i = 0; i < LIMITS.maxPendingOffersPerPeer; i++) {
            const c = await HostileClient.connect({ port: a.port, identity: id, localAddress: `127.0.2.${d + 1}` });
            clients.push(c);
            await c.hello();
            c.sendJson(offerMessage([{ path: `d${d}-${i}.bin`, size: 10 }]));
            results.push(await outcome(c));
          }
        }
        assert.equal(a.recv.engine.pendingOffers().length, LIMITS.maxPendingOffers);
        assert.ok(results.includes('reject:E_LIMIT'));
        assert.equal(results.filter((r) => r === 'waiting').length, LIMITS.maxPendingOffers - LIMITS.maxPendingOffersPerPeer);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
      // Withdrawn offers are forgotten; a normal offer is asked again.
      for (let i = 0; i < 50 && a.recv.engine.pendingOffers().length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(a.recv.engine.pendingOffers().length, 0);
      await a.goodTransfer();
      await a.assertClean(before);
    },
    { acceptPolicy: 'ask' },
  );
});

test('limits: no hello in time (helloTimeoutMs) and idle without a transfer (idleTimeoutMs) -> E_TIMEOUT', async () => {
  // The limits are read when used, so this process can shorten them; the enforcement is the engine's.
  const limits = LIMITS as { helloTimeoutMs: number; idleTimeoutMs: number };
  const saved = { ...limits };
  limits.helloTimeoutMs = 1_000;
  limits.idleTimeoutMs = 1_000;
  try {
    await withArena(async (a) => {
      const silent = await a.connect();
      await expectClosedWith(silent, 'E_TIMEOUT', 8_000);
      const idle = await a.ready();
      await expectClosedWith(idle, 'E_TIMEOUT', 10_000);
      await a.goodTransfer(); // a transfer is not idle
    });
  } finally {
    Object.assign(limits, saved);
  }
});

test('limits: more than maxControlPerSecond pings or control messages -> E_LIMIT', async () => {
  await withArena(async (a) => {
    const pinger = await a.ready();
    // Bursts of 40 with a turn of the event loop between: a single burst of ~100 pings is cut by
    // the ws/http layer itself (close 1006, no message) before Ferry's count is reached.
    for (let i = 0; i < LIMITS.maxControlPerSecond * 3 && pinger.isOpen; i++) {
      pinger.ws.ping();
      if (i % 40 === 39) await new Promise((r) => setImmediate(r));
    }
    await expectClosedWith(pinger, 'E_LIMIT');
    const { c } = await acceptedTransfer(a);
    for (let i = 0; i < LIMITS.maxControlPerSecond * 3 && c.isOpen; i++) c.sendJson({ t: i % 2 ? 'resume' : 'pause' });
    await expectClosedWith(c, 'E_LIMIT');
    await a.goodTransfer();
  });
});

async function acceptedTransfer(a: Arena) {
  const c = await a.ready();
  const r = await c.offer([{ path: 'rate.bin', size: 1000 }]);
  assert.ok(r && 't' in r && r.t === 'accept');
  return { c, handle: r.handle as number };
}
