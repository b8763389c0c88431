// Real engines in separate hosts: discovery feeds the transport, and the transport pins the
// fingerprint discovery announced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Peer, TransferSnapshot } from '../../src/shared/types';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import { LineChild, type Event } from './child';
import { lab, skip, tempDir } from './fixtures';
import type { Lab } from './netns';

const SCRIPT = join(__dirname, 'engine-node.ts');

async function startEngine(l: Lab, i: number, cfg: { stateDir: string; name: string; discovery?: boolean; forgeFingerprint?: string }) {
  const child = new LineChild(l.spawnNode(i, SCRIPT, [JSON.stringify(cfg)], { FERRY_DISCOVERY_INTERFACES: l.iface }));
  const ready = await child.wait((e) => e.ev === 'ready' || e.ev === 'fatal', 30_000, `${cfg.name} ready`);
  assert.equal(ready.ev, 'ready', JSON.stringify(ready));
  return { child, fingerprint: ready.fingerprint as string, port: ready.port as number };
}

const upOf = (fp: string) => (e: Event) => e.ev === 'up' && (e.peer as Peer).fingerprint === fp;
const finalOf = (dir: 'in' | 'out') => (e: Event) => e.ev === 'final' && (e.transfer as TransferSnapshot).direction === dir;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a file sent by name reaches the discovered engine in another host', { timeout: 120_000, skip }, async (t) => {
  const l = await lab(t, 2);
  const a = await startEngine(l, 0, { stateDir: await tempDir(t), name: 'Alpha' });
  const bDir = await tempDir(t);
  const b = await startEngine(l, 1, { stateDir: bDir, name: 'Beta' });
  await a.child.wait(upOf(b.fingerprint), 10_000, 'Beta discovered');

  const content = randomBytes(3 * 1024 * 1024 + 17);
  const src = join(await tempDir(t), 'report.bin');
  await writeFile(src, content);
  a.child.send({ cmd: 'send', to: { name: 'Beta' }, paths: [src] });
  const sent = await a.child.wait((e) => e.ev === 'sent' || e.ev === 'error', 20_000, 'send');
  assert.equal(sent.ev, 'sent', JSON.stringify(sent));
  const done = (await b.child.wait(finalOf('in'), 60_000, 'received')).transfer as TransferSnapshot;
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
  assert.equal(done.peer.fingerprint, a.fingerprint);
  assert.equal(sha(await readFile(done.files[0].savedPath!)), sha(content));
  assert.equal(((await a.child.wait(finalOf('out'), 20_000)).transfer as TransferSnapshot).state, 'completed');
});

test('sending to a forged announcement is refused by the pinned fingerprint; the forger gets no offer', { timeout: 120_000, skip }, async (t) => {
  const l = await lab(t, 2);
  const alpha = await loadOrCreateIdentity(await tempDir(t)); // the device being impersonated
  const observer = await startEngine(l, 0, { stateDir: await tempDir(t), name: 'Observer' });
  // A real Ferry server with its own certificate, announcing Alpha's fingerprint.
  const forger = await startEngine(l, 1, { stateDir: await tempDir(t), name: 'Alpha', discovery: false, forgeFingerprint: alpha.fingerprint });
  const seen = (await observer.child.wait(upOf(alpha.fingerprint), 10_000, 'forged peer')).peer as Peer;
  assert.equal(seen.address, l.ipv4[1]);
  assert.equal(seen.port, forger.port);

  const src = join(await tempDir(t), 'secret.txt');
  await writeFile(src, 'for Alpha only');
  observer.child.send({ cmd: 'send', to: { fingerprint: alpha.fingerprint }, paths: [src] });
  const result = await observer.child.wait((e) => e.ev === 'error' || finalOf('out')(e), 30_000, 'refusal');
  const error = result.ev === 'error' ? result.error : (result.transfer as TransferSnapshot).error;
  assert.equal((error as { code: string }).code, 'E_FINGERPRINT_MISMATCH', JSON.stringify(result));
  if (result.ev !== 'error') assert.equal((result.transfer as TransferSnapshot).state, 'failed');
  forger.child.send({ cmd: 'transfers' });
  assert.deepEqual((await forger.child.wait((e) => e.ev === 'transfers', 10_000)).transfers, []);
  assert.equal(forger.child.events.filter((e) => e.ev === 'offer').length, 0);
});
