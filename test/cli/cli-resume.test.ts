// kill -9 in the middle of a transfer, on either side, and the CLI carries on from where the
// data was committed instead of starting over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { exitCode, runCli, startReceiver, stop, type CliRun } from './cli-helpers';
import { tempDir } from '../util/tmp-dir';

const MiB = 1024 * 1024;
const SIZE = 512 * MiB;
/** Kill once this much is acknowledged: well past the receiver's first commit point (16 MiB). */
const KILL_AFTER = 64 * MiB;

/** SIZE bytes: a random MiB, stamped with its index so no two MiB are alike. */
async function makeSource(path: string): Promise<void> {
  const base = randomBytes(MiB);
  const fh = await fs.open(path, 'w');
  try {
    for (let i = 0; i < SIZE / MiB; i++) {
      base.writeUInt32BE(i, 0);
      await fh.write(base);
    }
  } finally {
    await fh.close();
  }
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk);
  return h.digest('hex');
}

/** Waits until the sender reports KILL_AFTER bytes; returns that count. */
async function progressPast(send: CliRun): Promise<number> {
  const ev = await send.waitFor((e) => e.event === 'progress' && (e.bytes as number) >= KILL_AFTER, 120_000);
  const bytes = ev.bytes as number;
  assert.ok(bytes < SIZE * 0.9, `the transfer went too fast to interrupt (${bytes} of ${SIZE} at the first look)`);
  return bytes;
}

function sendArgs(src: string, port: number, stateDir: string): string[] {
  return ['send', src, '--to', `127.0.0.1:${port}`, '--state-dir', stateDir, '--json'];
}

test('receiver killed with -9 and restarted on the same port: the running send continues', { timeout: 300_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-resume-');
  const src = join(base, 'big.bin');
  await makeSource(src);
  const inbox = join(base, 'in');
  const rstate = join(base, 'rstate');
  const first = await startReceiver(inbox, rstate);
  t.after(() => stop(first.run));
  const send = runCli(sendArgs(src, first.port, join(base, 'sstate')));
  t.after(() => stop(send, 'SIGKILL'));

  const atKill = await progressPast(send);
  first.run.child.kill('SIGKILL');
  assert.equal(await exitCode(first.run), null, 'killed by the signal');
  const again = await startReceiver(inbox, rstate, ['--port', String(first.port)]);
  t.after(() => stop(again.run));
  assert.equal(again.port, first.port);

  assert.equal(await exitCode(send, 240_000), 0, send.stderr());
  const done = send.events.find((e) => e.event === 'complete')!;
  const resent = (done.bytesSent as number) - SIZE;
  console.log(`# receiver kill: acknowledged ${atKill} at the kill, bytesSent ${done.bytesSent} of ${SIZE} (sent again: ${resent})`);
  assert.equal(done.bytes, SIZE);
  // Starting over would send everything acknowledged before the kill a second time.
  assert.ok(resent < atKill, `resent ${resent} bytes, acknowledged before the kill ${atKill}`);
  const states = send.events.filter((e) => e.event === 'state').map((e) => e.state);
  assert.ok(states.includes('reconnecting') && states.lastIndexOf('transferring') > states.indexOf('reconnecting'), `states ${states}`);
  assert.equal(send.stderr(), '', 'with --json, stderr stays quiet unless it fails');
  await again.run.waitFor((e) => e.event === 'complete');
  const continued = again.run.events.find((e) => e.event === 'incoming')!;
  assert.equal(continued.resumed, true, 'the restarted receiver continues the same transfer');
  assert.ok((continued.bytesDone as number) > 0);
  assert.equal(await sha256(join(inbox, 'big.bin')), await sha256(src));
});

test('sender killed with -9 and run again: completes sending only what was missing', { timeout: 300_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-resume-');
  const src = join(base, 'big.bin');
  await makeSource(src);
  const inbox = join(base, 'in');
  const recv = await startReceiver(inbox, join(base, 'rstate'));
  t.after(() => stop(recv.run));
  const sstate = join(base, 'sstate');
  const first = runCli(sendArgs(src, recv.port, sstate));
  t.after(() => stop(first, 'SIGKILL'));
  const atKill = await progressPast(first);
  first.child.kill('SIGKILL');
  assert.equal(await exitCode(first), null);

  const second = runCli(sendArgs(src, recv.port, sstate));
  t.after(() => stop(second, 'SIGKILL'));
  assert.equal(await exitCode(second, 240_000), 0, second.stderr());
  const done = second.events.find((e) => e.event === 'complete')!;
  console.log(`# sender kill: acknowledged ${atKill} at the kill; the second run sent ${done.bytesSent} of ${SIZE}`);
  assert.equal(done.bytes, SIZE);
  assert.ok((done.bytesSent as number) <= SIZE - atKill / 2, `bytesSent ${done.bytesSent} should be well below ${SIZE}`);
  await recv.run.waitFor((e) => e.event === 'complete');
  assert.equal(await sha256(join(inbox, 'big.bin')), await sha256(src));
});

test('--retry bounds how long a running send keeps reconnecting: exit 1 with E_CONNECTION_LOST', { timeout: 60_000 }, async (t) => {
  // The default window is 90 s, past this test's timeout: only --retry ends it in time.
  const base = await tempDir(t, 'ferry-cli-resume-');
  const src = join(base, 'big.bin');
  await makeSource(src);
  const recv = await startReceiver(join(base, 'in'), join(base, 'rstate'));
  t.after(() => stop(recv.run));
  const send = runCli([...sendArgs(src, recv.port, join(base, 'sstate')), '--retry', '2']);
  t.after(() => stop(send, 'SIGKILL'));
  await progressPast(send);
  recv.run.child.kill('SIGKILL');
  assert.equal(await exitCode(send), 1, send.stderr());
  assert.match(send.stderr().trim(), /^ferry: E_CONNECTION_LOST: [^\n]*could not reconnect within 2 s[^\n]*$/);
});
