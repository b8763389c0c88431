// The stage for hostile-peer tests: one receiver (policy 'all') whose state and download folders
// live in one parent temp dir, a good sender whose transfers must keep completing, a hostile
// identity, and a snapshot of the parent tree to prove nothing was written where it should not be.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { EngineOptions } from '../../src/main/engine/engine-api';
import { cleanup, sendAndWait, sha256File, startEngine, type TestEngine, writeRandom } from '../engine/helpers';
import { HostileClient, hostileIdentity, type ConnectOptions, type HostileIdentity } from '../support/hostile-client';

export interface Arena {
  root: string;
  recv: TestEngine;
  good: TestEngine;
  hostile: HostileIdentity;
  port: number;
  /** A name that only attack paths use: it must never appear on disk. */
  token: string;
  connect(o?: Partial<ConnectOptions>): Promise<HostileClient>;
  /** A hostile connection that has done its hello. */
  ready(o?: Partial<ConnectOptions>): Promise<HostileClient>;
  /** A normal transfer from the good sender; asserts it completed and verifies. */
  goodTransfer(size?: number): Promise<void>;
  snapshot(): Promise<Map<string, number>>;
  /** Asserts: nothing new outside downloads/ and state/, nothing new in downloads/ but `allowed` names. */
  assertClean(before: Map<string, number>, allowed?: (rel: string) => boolean): Promise<void>;
  close(): Promise<void>;
}

let goodSeq = 0;

export async function openArena(opts: Partial<EngineOptions> = {}): Promise<Arena> {
  const root = await fs.mkdtemp(join(tmpdir(), 'ferry-hostile-'));
  const token = `pwned-${randomBytes(4).toString('hex')}`;
  const recv = await startEngine('receiver', { stateDir: join(root, 'state'), downloadDir: join(root, 'downloads'), ...opts });
  const good = await startEngine('good-sender');
  const hostile = await hostileIdentity(join(root, 'hostile-id'));
  // Under policy 'ask' the receiver's user says yes to the good sender (and only to it).
  recv.engine.on('offerReceived', (o) => {
    if (o.peer.fingerprint === good.engine.identity.fingerprint) recv.engine.respond(o.transferId, { accept: true });
  });
  const src = join(good.stateDir, 'src'); // outside root: the snapshot watches root only
  await fs.mkdir(src);
  const port = recv.engine.identity.port;
  const arena: Arena = {
    root,
    recv,
    good,
    hostile,
    port,
    token,
    connect: (o = {}) => HostileClient.connect({ port, identity: hostile, ...o }),
    async ready(o = {}) {
      const c = await arena.connect(o);
      const w = await c.hello();
      assert.equal(w && 't' in w ? w.t : null, 'welcome', 'hostile hello was not welcomed');
      return c;
    },
    async goodTransfer(size = 300_000) {
      const name = `good-${process.pid}-${goodSeq++}.bin`;
      const p = join(src, name);
      await writeRandom(p, size);
      const { out, inc } = await sendAndWait(good, recv, [p], 60_000);
      assert.equal(out.state, 'completed', `good transfer failed: ${JSON.stringify(out.error)}`);
      assert.equal(inc.state, 'completed');
      assert.equal(await sha256File(join(recv.downloadDir, name)), await sha256File(p));
    },
    snapshot: () => snapshotTree(root),
    async assertClean(before, allowed = () => false) {
      const after = await snapshotTree(root);
      const fresh = [...after.keys()].filter((k) => !before.has(k));
      const outside = fresh.filter((k) => !k.startsWith(`downloads${sep}`) && !k.startsWith(`state${sep}`) && k !== 'downloads' && k !== 'state');
      assert.deepEqual(outside, [], 'written outside the download and state folders');
      const stray = fresh.filter((k) => k.startsWith(`downloads${sep}`) && !/^good-\d+-\d+\.bin$/.test(k.slice(10)) && !allowed(k.slice(10)));
      assert.deepEqual(stray, [], 'unexpected entries in the download folder');
      assert.equal(await tokenOnDisk(token), null, 'an attack name reached the disk');
    },
    async close() {
      await cleanup(good, recv);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  return arena;
}

/** Every path under `dir` (relative) with its size; folders have size -1. */
export async function snapshotTree(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.set(relative(dir, p), -1);
        await walk(p);
      } else out.set(relative(dir, p), (await fs.lstat(p).catch(() => ({ size: -2 }))).size);
    }
  };
  await walk(dir);
  return out;
}

/** Where an escaped name would land: the temp dir, the file system root, the working directory. */
async function tokenOnDisk(token: string): Promise<string | null> {
  for (const d of [tmpdir(), '/', process.cwd()]) {
    const hit = (await fs.readdir(d).catch(() => [] as string[])).find((n) => n.includes(token));
    if (hit) return join(d, hit);
  }
  return null;
}

/**
 * Runs `attack` while a good transfer runs, then another good transfer after it; a bystander
 * connection opened before must still be open and answering; checks the tree.
 */
export async function underAttack(arena: Arena, attack: () => Promise<void>, allowed?: (rel: string) => boolean): Promise<void> {
  const before = await arena.snapshot();
  const bystander = await arena.ready();
  try {
    await Promise.all([attack(), arena.goodTransfer()]);
    await arena.goodTransfer();
    assert.ok(await bystander.roundTrip(), 'another peer\'s connection was dropped by the attack');
  } finally {
    await bystander.end();
  }
  await arena.assertClean(before, allowed);
}

/** Asserts the connection was closed by the receiver with `code` (error message or close reason). */
export async function expectClosedWith(c: HostileClient, code: string, timeoutMs = 15_000): Promise<void> {
  const end = await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), timeoutMs))]);
  assert.ok(end, `the receiver did not close the connection (expected ${code})`);
  assert.ok(end.error === code || end.reason === code, `expected ${code}, got error=${end.error} close=${end.code} ${end.reason}`);
}

export { writeRandom };
