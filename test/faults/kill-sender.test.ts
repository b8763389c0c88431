// Kill -9 the sending `ferry send` at a seeded random point, run the same command again: the
// transfer continues where the receiver's committed data ends (fewer bytes on the wire than the
// file), and the file verifies.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256File } from '../engine/helpers';
import { until } from '../support/until';
import { CliChild, receiverArgs, senderArgs } from './cli-child';
import { killArena } from './kill-arena';
import { seededRng } from './prng';

const MiB = 1024 * 1024;
const SIZE = 120 * MiB;

test('faults: sender killed -9 mid-transfer; the same send again resumes (bytesSent < bytes) and verifies', { timeout: 180_000 }, async (t) => {
  const rng = seededRng('kill-sender');
  const { root, src, recvPort, proxy } = await killArena(t, 'ksend', SIZE);
  const dir = join(root, 'downloads');
  const recv = new CliChild(receiverArgs({ port: recvPort, dir, stateDir: join(root, 'recv-state') }));
  await recv.wait((e) => e.event === 'listening', 30_000, 'listening');
  const sendArgs = senderArgs({ paths: [src], port: proxy.port, stateDir: join(root, 'send-state') });
  const first = new CliChild(sendArgs);
  const killAt = rng.int(25, 70) * MiB;
  // Cut at the relay first: a kill that follows the sender's progress line could come after its
  // last byte (120 MiB take well under a second), and the second run would be a new send.
  proxy.holdAt(killAt);
  await until(() => proxy.held, `${killAt} bytes through the relay`, 90_000);
  await first.kill9();
  const firstRun = proxy.reset();
  console.log(`sender cut at ${(killAt / MiB).toFixed(0)} MiB through the relay, then killed (${(firstRun / MiB).toFixed(1)} MiB had gone out)`);
  const second = new CliChild(sendArgs);
  const code = await Promise.race([second.exited, new Promise<string>((r) => setTimeout(() => r('hang'), 120_000))]);
  assert.equal(code, 0, `the second send failed: ${second.stderr}`);
  const complete = second.events.find((e) => e.event === 'complete');
  assert.ok(complete, 'no complete event');
  const wire = proxy.upBytes;
  console.log(`second run put ${(wire / MiB).toFixed(1)} MiB on the wire for a ${SIZE / MiB} MiB file; first run ${(firstRun / MiB).toFixed(1)} MiB; re-sent ~${((firstRun + wire - SIZE) / MiB).toFixed(1)} MiB`);
  assert.ok(wire < SIZE, `the second run sent ${wire} bytes: it started over instead of resuming`);
  console.log(`the CLI reported bytesSent=${String(complete.bytesSent)}`);
  assert.ok(Number(complete.bytesSent) < SIZE, 'the CLI reports the whole file as sent again');
  await recv.wait((e) => e.event === 'complete', 30_000, 'complete on the receiver');
  assert.equal(await sha256File(join(dir, 'big.bin')), await sha256File(src));
  assert.deepEqual((await fs.readdir(dir)).filter((n) => n !== 'big.bin'), [], 'temp files left behind');
});
