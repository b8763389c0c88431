import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import type { TransferSnapshot } from '../../src/shared/types';
import { cleanup, isFinal, sha256File, startEngine, tempDir, waitBytes, waitTransfer, writeRandom } from './helpers';

const SIZE = 384 * 1024 * 1024;
const SLACK = 48 * 1024 * 1024; // committed is at most ~16 MiB behind written, plus what was in flight

interface Child {
  proc: ChildProcess;
  ready: Promise<{ port: number; fingerprint: string }>;
  /** Resolves once the child reports at least `n` bytes moved. */
  bytes(n: number): Promise<number>;
}

function child(cfg: object): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'child-engine.ts'), JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  let readyResolve: (v: { port: number; fingerprint: string }) => void;
  const ready = new Promise<{ port: number; fingerprint: string }>((r) => (readyResolve = r));
  const waiters: { n: number; r: (b: number) => void }[] = [];
  lines.on('line', (l) => {
    const m = JSON.parse(l);
    if (m.ev === 'ready') readyResolve(m);
    if (m.ev === 'progress') for (const w of waiters.filter((x) => m.bytes >= x.n)) w.r(m.bytes);
  });
  return { proc, ready, bytes: (n) => new Promise((r) => waiters.push({ n, r })) };
}

function killed(c: Child): Promise<void> {
  return new Promise((resolve) => {
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGKILL');
  });
}

test('receiver killed -9 mid-transfer: a new receiver on the same state resumes, little is sent twice', { timeout: 120_000 }, async (t) => {
  const a = await startEngine('alice', { reconnectWindowMs: 60_000 });
  const src = await tempDir('ferry-src-');
  const bState = await tempDir('ferry-bob-state-');
  const cfg = { stateDir: bState, downloadDir: join(bState, 'downloads'), name: 'bob', port: 0 };
  try {
    const p = join(src, 'movie.bin');
    await writeRandom(p, SIZE);
    const c1 = child(cfg);
    const { port, fingerprint } = await c1.ready;
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint }, paths: [p] });
    await c1.bytes(128 * 1024 * 1024);
    const sentBefore = a.engine.transfers()[0].bytesDone;
    await killed(c1);
    await waitTransfer(a.engine, (t) => t.id === sent.id && t.state === 'reconnecting');

    const b = await startEngine('bob', { ...cfg, port });
    const resumed = await waitTransfer(b.engine, (t) => t.id === sent.id && t.direction === 'in' && t.state === 'transferring');
    const inc = await waitTransfer(b.engine, isFinal('in', sent.id), 60_000);
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
    assert.ok(resumed.bytesDone > 0, 'resumed from a committed offset, not from 0');
    assert.ok(sentBefore - resumed.bytesDone < SLACK, `re-sent ${sentBefore - resumed.bytesDone} bytes`);
    t.diagnostic(`acked before the kill ${sentBefore}, resumed at ${resumed.bytesDone}: ${sentBefore - resumed.bytesDone} bytes sent twice of ${SIZE}`);
    assert.equal((await waitTransfer(a.engine, isFinal('out', sent.id))).state, 'completed');
    await cleanup(b);
  } finally {
    await cleanup(a);
    await fs.rm(src, { recursive: true, force: true });
    await fs.rm(bState, { recursive: true, force: true });
  }
});

/**
 * Kills a sending engine mid-transfer, starts another on its state and sends the same paths: the
 * same transfer continues. By address (no fingerprint, as `ferry send --to HOST:PORT`) the state
 * saved at the start names the receiver by address only.
 */
async function senderKilledThenSentAgain(t: TestContext, byAddress: boolean): Promise<void> {
  const b = await startEngine('bob');
  const src = await tempDir('ferry-src-');
  const aState = await tempDir('ferry-alice-state-');
  try {
    const p = join(src, 'disk.img');
    await writeRandom(p, SIZE);
    const target = { host: '127.0.0.1', port: b.engine.identity.port, ...(byAddress ? {} : { fingerprint: b.engine.identity.fingerprint }) };
    const c = child({ stateDir: aState, downloadDir: join(aState, 'downloads'), name: 'alice', port: 0, send: { ...target, paths: [p] } });
    await c.ready;
    await waitBytes(b.engine, 128 * 1024 * 1024);
    await killed(c);
    const cut = await waitTransfer(b.engine, (t) => t.direction === 'in' && t.state === 'failed');
    assert.equal(cut.error?.code, 'E_CONNECTION_LOST');

    const a = await startEngine('alice', { stateDir: aState });
    const interrupted = a.engine.transfers().find((t) => t.direction === 'out');
    assert.equal(interrupted?.state, 'failed', 'the interrupted transfer shows after a restart');
    const again = await a.engine.send({ to: target, paths: [p] });
    assert.equal(again.id, cut.id, 'same transfer continues');
    const resumed: TransferSnapshot = await waitTransfer(b.engine, (t) => t.id === again.id && t.state === 'transferring');
    const inc = await waitTransfer(b.engine, isFinal('in', again.id), 60_000);
    assert.equal(inc.state, 'completed', JSON.stringify(inc.error));
    assert.equal(await sha256File(inc.files[0].savedPath!), await sha256File(p));
    assert.ok(resumed.bytesDone >= cut.bytesDone - SLACK && resumed.bytesDone > 0, `resumed at ${resumed.bytesDone}, cut at ${cut.bytesDone}`);
    t.diagnostic(`received before the kill ${cut.bytesDone}, resumed at ${resumed.bytesDone}: ${cut.bytesDone - resumed.bytesDone} bytes sent twice of ${SIZE}`);
    await cleanup(a);
  } finally {
    await cleanup(b);
    await fs.rm(src, { recursive: true, force: true });
    await fs.rm(aState, { recursive: true, force: true });
  }
}

test('sender killed -9 mid-transfer: sending the same paths again continues where it stopped', { timeout: 120_000 }, (t) => senderKilledThenSentAgain(t, false));

test('sender killed -9 mid-transfer, sent by address alone: the same paths again continue the same transfer', { timeout: 120_000 }, (t) =>
  senderKilledThenSentAgain(t, true),
);

test('a receiver that falls silent (SIGSTOP) is detected by the heartbeat; the sender resumes once it is back', { timeout: 120_000 }, async () => {
  const a = await startEngine('alice', { reconnectWindowMs: 60_000 });
  const src = await tempDir('ferry-src-');
  const bState = await tempDir('ferry-bob-state-');
  const c = child({ stateDir: bState, downloadDir: join(bState, 'downloads'), name: 'bob', port: 0 });
  try {
    const p = join(src, 'frozen.bin');
    await writeRandom(p, 256 * 1024 * 1024);
    const { port, fingerprint } = await c.ready;
    const sent = await a.engine.send({ to: { host: '127.0.0.1', port, fingerprint }, paths: [p] });
    await c.bytes(32 * 1024 * 1024);
    c.proc.kill('SIGSTOP');
    const lost = await waitTransfer(a.engine, (t) => t.id === sent.id && t.state === 'reconnecting', 30_000);
    assert.equal(lost.error?.code, 'E_TIMEOUT');
    c.proc.kill('SIGCONT');
    const out = await waitTransfer(a.engine, isFinal('out', sent.id), 90_000);
    assert.equal(out.state, 'completed', JSON.stringify(out.error));
    const saved = join(bState, 'downloads', 'frozen.bin');
    assert.equal(await sha256File(saved), await sha256File(p));
  } finally {
    c.proc.kill('SIGCONT');
    await killed(c);
    await cleanup(a);
    await fs.rm(src, { recursive: true, force: true });
    await fs.rm(bState, { recursive: true, force: true });
  }
});
