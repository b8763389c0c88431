// Kill -9 the receiving `ferry receive` at seeded random points of a large transfer, at least
// 5 times, restarting it each time on the same folder, state and port. The sender (one
// `ferry send`, never restarted) reconnects by itself; the file must verify, and the bytes
// put on the wire twice (counted by a relay in front of the receiver) must stay small.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256File } from '../engine/helpers';
import { CliChild, receiverArgs, senderArgs } from './cli-child';
import { killArena } from './kill-arena';
import { seededRng } from './prng';

const MiB = 1024 * 1024;
const SIZE = 160 * MiB;
const KILLS = 5;
/** Written but not yet committed (16 MiB per file) plus what is in flight: the most a kill may cost. */
const RESEND_PER_KILL = 48 * MiB;

test(`faults: receiver killed -9 ${KILLS} times mid-transfer; resumes each time, file verifies, little is re-sent`, { timeout: 240_000 }, async (t) => {
  const rng = seededRng('kill-receiver');
  const { root, src, recvPort: proxyTarget, proxy } = await killArena(t, 'krecv', SIZE);
  const recvOpts = { port: proxyTarget, dir: join(root, 'downloads'), stateDir: join(root, 'recv-state') };
  let recv = new CliChild(receiverArgs(recvOpts));
  await recv.wait((e) => e.event === 'listening', 30_000, 'listening');
  const send = new CliChild(senderArgs({ paths: [src], port: proxy.port, stateDir: join(root, 'send-state') }));
  let kills = 0;
  const points: string[] = [];
  // Kill points are byte counts (not times, so a fast or slow machine kills at the same places):
  // one in each fifth of 5%..85% of the file, seeded.
  const at = Array.from({ length: KILLS }, (_, i) => Math.floor(SIZE * (0.05 + i * 0.16 + rng.next() * 0.08)));
  while (kills < KILLS) {
    await recv.wait((e) => (e.event === 'progress' && Number(e.bytes) >= at[kills]) || e.event === 'complete', 90_000, `receiver past ${at[kills]} bytes`);
    if (recv.events.some((e) => e.event === 'complete')) break;
    points.push(`${(at[kills] / MiB).toFixed(1)}/${(recv.progressBytes / MiB).toFixed(1)}MiB`);
    await recv.kill9();
    kills++;
    recv = new CliChild(receiverArgs(recvOpts));
    await recv.wait((e) => e.event === 'listening', 30_000, 'listening after restart');
  }
  console.log(`kill points (planned/receiver progress when killed): ${points.join(', ')}`);
  assert.equal(kills, KILLS, `the transfer finished after only ${kills} kills; use a larger file`);
  const sendCode = await Promise.race([send.exited, new Promise<string>((r) => setTimeout(() => r('hang'), 150_000))]);
  assert.equal(sendCode, 0, `sender did not complete: ${send.stderr}`);
  await recv.wait((e) => e.event === 'complete', 30_000, 'complete on the receiver');
  assert.equal(await sha256File(join(recvOpts.dir, 'big.bin')), await sha256File(src));
  const resent = proxy.upBytes - SIZE;
  console.log(`${kills} kills survived; bytes on the wire ${proxy.upBytes}, re-sent ~${(resent / MiB).toFixed(1)} MiB (${(resent / kills / MiB).toFixed(1)} MiB per kill); bytes lost 0`);
  assert.ok(resent <= kills * RESEND_PER_KILL, `re-sent ${resent} bytes`);
  const left = (await fs.readdir(recvOpts.dir)).filter((n) => n !== 'big.bin');
  assert.deepEqual(left, [], 'temp files left behind');
});
