// Floods: many connections, hellos, offers, repeated reports at once. The receiver refuses what is over its limits,
// closes only the offending connections, and a good transfer completes during and after.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { LIMITS } from '../../src/shared/limits';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { ConnectRefused, dataFrame, digestsOf, type HostileClient, offerMessage } from '../support/hostile-client';
import { expectClosedWith, openArena, underAttack, type Arena } from './arena';

let arena: Arena;
before(async () => {
  arena = await openArena();
});
after(() => arena.close());

/** Runs `n` attempts concurrently; counts outcomes by label. */
async function tally(n: number, attempt: (i: number) => Promise<string>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const results = await Promise.all(Array.from({ length: n }, (_, i) => attempt(i).catch((err) => (err instanceof ConnectRefused ? `refused ${err.status}` : `error ${(err as Error).message}`))));
  for (const r of results) out[r] = (out[r] ?? 0) + 1;
  return out;
}

test('floods: 150 simultaneous connections from one address: 16 served, the rest 503', async () => {
  await underAttack(arena, async () => {
    const open: HostileClient[] = [];
    const counts = await tally(150, async () => {
      const c = await arena.connect({ localAddress: '127.0.0.9' });
      open.push(c);
      return 'open';
    });
    assert.ok((counts.open ?? 0) <= LIMITS.maxConnectionsPerAddress, JSON.stringify(counts));
    assert.equal((counts.open ?? 0) + (counts['refused 503'] ?? 0), 150, JSON.stringify(counts));
    await Promise.all(open.map((c) => c.end()));
  });
});

test('floods: 12 connections each sending 100 hellos: each closed (E_BAD_MESSAGE or E_LIMIT)', async () => {
  await underAttack(arena, async () => {
    const counts = await tally(12, async (i) => {
      const c = await arena.connect({ localAddress: `127.0.4.${i + 1}` });
      for (let k = 0; k < 100; k++) c.sendJson({ t: 'hello', versions: [PROTOCOL_VERSION], name: `h${k}`, deviceType: 'laptop', port: 1 });
      const end = await c.closed;
      return String(end.error);
    });
    assert.deepEqual(Object.keys(counts).filter((k) => k !== 'E_BAD_MESSAGE' && k !== 'E_LIMIT'), [], JSON.stringify(counts));
  });
});

test('floods: 48 offers at once (policy all), withdrawn before any data: nothing stray is left', async () => {
  await underAttack(
    arena,
    async () => {
      const counts = await tally(48, async (i) => {
        const c = await arena.ready({ localAddress: `127.0.5.${(i % 8) + 1}` });
        c.sendJson(offerMessage([{ path: `flood-${i}.bin`, size: 1000 + i }]));
        const r = await c.waitFor((m) => 't' in m && m.t !== 'welcome');
        await c.end();
        return r && 't' in r ? `${r.t}${r.code ? ' ' + String(r.code) : ''}` : 'none';
      });
      assert.equal(counts.accept, 48, JSON.stringify(counts));
    },
    (rel) => /^\.flood-\d+\.bin\.[0-9a-f]{8}\.ferry-part$/.test(rel),
  );
});

test('floods: 2,000 text messages in one burst on one connection: closed, others unaffected', async () => {
  await underAttack(arena, async () => {
    const c = await arena.ready();
    for (let k = 0; k < 2_000; k++) c.sendJson({ t: 'pause' });
    const end = await c.closed;
    assert.ok(end.error === 'E_BAD_MESSAGE' || end.error === 'E_LIMIT', JSON.stringify(end));
  });
});

test('floods: late news of a saved file, repeated past the control-message rate: closed with E_LIMIT', async () => {
  await underAttack(
    arena,
    async () => {
      const c = await arena.ready();
      const data = randomBytes(3_000);
      const digests = digestsOf(data);
      // Two files, one sent: the transfer stays open after the first is saved.
      const acc = await c.offer([{ path: 'late-news.bin', size: data.length }, { path: 'never-sent.bin', size: 10 }]);
      assert.ok(acc && 't' in acc && acc.t === 'accept', `offer not accepted: ${JSON.stringify(acc)}`);
      c.sendBinary(dataFrame(acc.handle as number, 0, 0, data, digests.file));
      assert.deepEqual((await c.waitType('filesDone'))?.f, [0]);
      // One stale block report is harmless (the protocol tests); a stream of them is a flood.
      for (let k = 0; k <= LIMITS.maxControlPerSecond; k++) c.sendJson({ t: 'block', f: 0, b: 0, h: digests.blocks[0].toString('hex') });
      await expectClosedWith(c, 'E_LIMIT');
    },
    (rel) => rel === 'late-news.bin' || /^\.never-sent\.bin\.[0-9a-f]{8}\.ferry-part$/.test(rel),
  );
});
