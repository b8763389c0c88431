// Kill -9 the receiving `ferry receive` at seeded random points of a large transfer, 5 times,
// restarting it each time on the same folder, state and port. The sender (one `ferry send`, never
// restarted) reconnects by itself; the file must verify, and the bytes put on the wire twice
// (counted by a relay in front of the receiver) must stay small.
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
  // Each kill comes once a seeded 20-30 MiB more went through the relay, held there first: a kill
  // sent after a progress line could land anywhere later (the file takes a second), even after
  // the end. More than one commit interval (16 MiB) per run, and 5 runs stay short of 160 MiB.
  while (kills < KILLS) {
    const cut = proxy.upBytes + rng.int(20, 30) * MiB;
    proxy.holdAt(cut);
    await until(() => proxy.held || recv.events.some((e) => e.event === 'complete'), `${cut} bytes through the relay`, 90_000);
    if (!proxy.held) break;
    points.push((cut / MiB).toFixed(0));
    await recv.kill9();
    kills++;
    recv = new CliChild(receiverArgs(recvOpts));
    await recv.wait((e) => e.event === 'listening', 30_000, 'listening after restart');
  }
  console.log(`kill points (MiB through the relay, resends included): ${points.join(', ')}`);
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
