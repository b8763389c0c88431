// Two hosts in network namespaces, the link shaped (tbf) so a transfer takes a while, then cut
// (ip link set veth0 down): for 5 s the transfer resumes on its own; for longer than the sender's
// reconnect window both sides report a clear failure, the partial data stays, and a later send
// resumes from it. Root with iproute2 only; skipped otherwise.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256File, writeRandom } from '../engine/helpers';
import { LineChild, type Event } from '../netns/child';
import { lab, skip, tempDir } from '../netns/fixtures';
import type { Lab } from '../netns/netns';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'index.ts');
const WINDOW_SENDER = join(__dirname, 'window-sender.ts');
const MiB = 1024 * 1024;
const PORT = 53_417;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function receiver(l: Lab, dir: string, stateDir: string) {
  const child = new LineChild(l.spawnNode(1, CLI, ['receive', '--json', '--accept', 'all', '--no-discovery', '--port', String(PORT), '--dir', dir, '--state-dir', stateDir]));
  const ready = await child.wait((e) => e.event === 'listening', 30_000, 'receiver listening');
  return { child, fingerprint: String(ready.fingerprint) };
}

function shape(l: Lab, rate: string): void {
  l.exec(0, ['tc', 'qdisc', 'add', 'dev', l.iface, 'root', 'tbf', 'rate', rate, 'burst', '32kbit', 'latency', '400ms']);
}

function link(l: Lab, up: boolean): void {
  l.exec(0, ['ip', 'link', 'set', l.iface, up ? 'up' : 'down']);
}

const progressed = (min: number) => (e: Event) => e.event === 'progress' && Number(e.bytes) >= min;

test('faults: link cut for 5 s mid-transfer between two hosts: the transfer resumes on its own and verifies', { timeout: 180_000, skip }, async (t) => {
  const l = await lab(t, 2);
  const dir = await tempDir(t);
  const src = join(dir, 'src.bin');
  await writeRandom(src, 24 * MiB);
  shape(l, '24mbit');
  const r = await receiver(l, join(dir, 'in'), join(dir, 'rs'));
  const s = new LineChild(l.spawnNode(0, CLI, ['send', src, '--to', `${l.ipv4[1]}:${PORT}`, '--fingerprint', r.fingerprint, '--json', '--state-dir', join(dir, 'ss')]));
  await s.wait(progressed(4 * MiB), 60_000, 'progress before the cut');
  link(l, false);
  const cutAt = Date.now();
  await sleep(5_000);
  link(l, true);
  console.log(`link down for ${Date.now() - cutAt} ms`);
  const code = await Promise.race([s.exited, sleep(120_000).then(() => 'hang')]);
  assert.equal(code, 0, 'the sender did not complete after the link came back');
  await r.child.wait((e) => e.event === 'complete', 30_000, 'receiver complete');
  assert.equal(await sha256File(join(dir, 'in', 'src.bin')), await sha256File(src));
});

test('faults: link cut for longer than the reconnect window: both sides fail clearly, partial data kept, a later send resumes', { timeout: 240_000, skip }, async (t) => {
  const l = await lab(t, 2);
  const dir = await tempDir(t);
  const src = join(dir, 'src.bin');
  await writeRandom(src, 24 * MiB);
  shape(l, '16mbit');
  const inDir = join(dir, 'in');
  const r = await receiver(l, inDir, join(dir, 'rs'));
  const cfg = { stateDir: join(dir, 'ss'), host: l.ipv4[1], port: PORT, fingerprint: r.fingerprint, paths: [src], reconnectWindowMs: 3_000 };
  const s1 = new LineChild(l.spawnNode(0, WINDOW_SENDER, [JSON.stringify(cfg)]));
  await s1.wait((e) => e.ev === 'transferring', 30_000, 'transferring');
  await r.child.wait(progressed(6 * MiB), 60_000, 'progress before the cut');
  link(l, false);
  const cutAt = Date.now();
  try {
    const fin = await s1.wait((e) => e.ev === 'final' || e.ev === 'fatal', 60_000, 'sender failure');
    const sent = fin.transfer as { state: string; error?: { code: string; message: string } };
    console.log(`sender: ${sent.state} ${sent.error?.code} after ${Date.now() - cutAt} ms: ${sent.error?.message}`);
    assert.equal(sent.state, 'failed');
    assert.ok(['E_UNREACHABLE', 'E_TIMEOUT', 'E_CONNECTION_LOST'].includes(sent.error!.code), JSON.stringify(sent.error));
    const rerr = await r.child.wait((e) => e.event === 'error', 30_000, 'receiver failure');
    console.log(`receiver: ${String(rerr.code)}: ${String(rerr.message)}`);
    assert.ok(['E_TIMEOUT', 'E_CONNECTION_LOST'].includes(String(rerr.code)), JSON.stringify(rerr));
  } finally {
    link(l, true);
  }
  const parts = (await fs.readdir(inDir)).filter((n) => n.endsWith('.ferry-part'));
  assert.equal(parts.length, 1, 'the partial data was not kept');
  const kept = (await fs.stat(join(inDir, parts[0]))).size;
  assert.ok(kept > 0, 'the partial file is empty');
  // Later, the same send again: it resumes from what the receiver committed.
  const s2 = new LineChild(l.spawnNode(0, WINDOW_SENDER, [JSON.stringify({ ...cfg, reconnectWindowMs: 30_000 })]));
  const resumed = await s2.wait((e) => e.ev === 'transferring', 30_000, 'second send transferring');
  console.log(`partial kept: ${(kept / MiB).toFixed(1)} MiB; the later send started at ${(Number(resumed.bytesDone) / MiB).toFixed(1)} MiB`);
  assert.ok(Number(resumed.bytesDone) > 0, 'the later send started from 0');
  const fin2 = await s2.wait((e) => e.ev === 'final', 120_000, 'second send final');
  assert.equal((fin2.transfer as { state: string }).state, 'completed', JSON.stringify(fin2.transfer));
  assert.equal(await sha256File(join(inDir, 'src.bin')), await sha256File(src));
});
