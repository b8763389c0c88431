// One fuzz run against a live receiver (the real `ferry receive` in a child process, so a crash
// is an exit): fuzz, then check the receiver is alive, completes a normal transfer, and wrote
// nothing outside its download and state folders (and in the download folder only the files the
// fuzzer itself offered, finished or partial).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join, sep } from 'node:path';
import { cleanup, sha256File, startEngine, tempDir, writeRandom } from '../engine/helpers';
import { CliChild, freePort, receiverArgs } from '../faults/cli-child';
import { seededRng } from '../faults/prng';
import { snapshotTree } from '../hostile/arena';
import { hostileIdentity } from '../support/hostile-client';
import { type FuzzStats, runFuzz } from './fuzzer';

const PREFIX = 'fz-';

const TEMP = /^\.(.+)\.[0-9a-f]{8}(-[0-9a-z]+)?\.ferry-part$/;
const copyOf = (name: string) => name.replace(/ \(\d+\)(?=\.[^.]*$|$)/, '');

/**
 * Whether `rel` (under downloads/) is an offered path, a folder of one, its temp file, a file in
 * the stage of its top folder (`.top.<token>.ferry-part/...`), or a " (n)" copy of a file or top folder.
 */
function offered(rel: string, paths: Set<string>): boolean {
  const parts = rel.split(sep);
  const name = parts.pop()!;
  if (parts.length) parts[0] = copyOf(TEMP.exec(parts[0])?.[1] ?? parts[0]);
  const want = [...parts, copyOf(TEMP.exec(name)?.[1] ?? name)].join('/');
  for (const p of paths) if (p === want || p.startsWith(want + '/')) return true;
  return false;
}

export async function fuzzLiveReceiver(label: string, frames: number, deadlineMs: number, tune: { workers?: number; mutateShare?: number } = {}): Promise<FuzzStats> {
  const rng = seededRng(label);
  const root = await tempDir('ferry-fuzz-');
  const hostileDir = await tempDir('ferry-fuzz-id-');
  const dirs = { port: await freePort(), dir: join(root, 'downloads'), stateDir: join(root, 'state') };
  const recv = new CliChild(receiverArgs(dirs));
  const good = await startEngine('good-sender');
  try {
    const listening = await recv.wait((e) => e.event === 'listening', 30_000, 'listening');
    const before = await snapshotTree(root);
    const identity = await hostileIdentity(hostileDir);
    const started = Date.now();
    const stats = await runFuzz({ port: dirs.port, identity, rng, frames, maxConnections: Math.ceil(frames / 2), deadlineMs, namePrefix: PREFIX, ...tune });
    const secs = (Date.now() - started) / 1000;
    console.log(
      `${label}: ${stats.frames} frames (${stats.mutated} mutated) over ${stats.connections} connections in ${secs.toFixed(0)} s; ` +
        `at most ${stats.unreadAtMost} dropped unread after a fatal frame; ${stats.refusedConnects} connects refused; ${stats.acceptedOffers} offers accepted; ${stats.filesCompleted} fuzzer files completed`,
    );
    console.log(`${label}: closes ${JSON.stringify(stats.closes)}`);
    console.log(`${label}: mutations ${JSON.stringify(stats.mutations)}`);
    assert.equal(recv.events.some((e) => e.event === 'stopped'), false);
    assert.equal(await Promise.race([recv.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('alive'), 100))]), 'alive', `the receiver died: ${recv.stderr}`);
    // A normal transfer still completes.
    const p = join(good.stateDir, 'after-fuzz.bin');
    await writeRandom(p, 2_000_000);
    const sent = await good.engine.send({ to: { host: '127.0.0.1', port: dirs.port, fingerprint: String(listening.fingerprint) }, paths: [p] });
    await recv.wait((e) => e.event === 'complete' && e.transferId === sent.id, 60_000, 'the normal transfer after the fuzz');
    assert.equal(await sha256File(join(dirs.dir, 'after-fuzz.bin')), await sha256File(p));
    // Nothing written where it should not be.
    const after = await snapshotTree(root);
    const fresh = [...after.keys()].filter((k) => !before.has(k));
    const outside = fresh.filter((k) => !k.startsWith(`downloads${sep}`) && !k.startsWith(`state${sep}`));
    assert.deepEqual(outside, [], 'written outside the download and state folders');
    const stray = fresh.filter((k) => k.startsWith(`downloads${sep}`) && k !== `downloads${sep}after-fuzz.bin` && !offered(k.slice(10), stats.acceptedPaths));
    assert.deepEqual(stray.slice(0, 20), [], 'unexpected entries in the download folder');
    assert.ok(stats.frames >= frames, `only ${stats.frames} frames were sent before the deadline`);
    return stats;
  } finally {
    await recv.kill9();
    await cleanup(good);
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(hostileDir, { recursive: true, force: true });
  }
}
