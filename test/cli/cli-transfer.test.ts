// ferry send and ferry receive as real processes on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exitCode, runCli, startReceiver, stop } from './cli-helpers';
import { tempDir } from '../util/tmp-dir';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('send a folder to receive --accept all: exit 0, events, identical files', { timeout: 180_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  const src = join(base, 'photos');
  await fs.mkdir(join(src, 'sub', 'deeper'), { recursive: true });
  const big = randomBytes(3 * 1024 * 1024 + 17);
  await fs.writeFile(join(src, 'big.bin'), big);
  await fs.writeFile(join(src, 'sub', 'note é.txt'), 'hello ferry');
  await fs.writeFile(join(src, 'sub', 'deeper', 'empty'), '');
  const recv = await startReceiver(join(base, 'in'), join(base, 'rstate'));
  t.after(() => stop(recv.run));

  const send = runCli(['send', src, '--to', `127.0.0.1:${recv.port}`, '--state-dir', join(base, 'sstate'), '--json', '--fingerprint', recv.fingerprint]);
  assert.equal(await exitCode(send), 0, send.stderr());
  const complete = send.events.find((e) => e.event === 'complete')!;
  assert.equal(complete.files, 3);
  assert.equal(complete.bytes, big.length + 11);
  assert.equal(complete.bytesSent, big.length + 11);
  assert.ok((complete.seconds as number) > 0);
  const progress = send.events.filter((e) => e.event === 'progress');
  assert.ok(progress.length >= 1);
  assert.equal(progress[progress.length - 1].bytes, big.length + 11, 'a final progress event');
  assert.equal(send.stderr(), '');

  const done = await recv.run.waitFor((e) => e.event === 'complete');
  assert.equal(done.files, 3);
  const incoming = recv.run.events.find((e) => e.event === 'incoming')!;
  assert.equal(incoming.files, 3);
  assert.equal(incoming.resumed, false);
  assert.equal((incoming.from as { fingerprint: string }).fingerprint.length, 64);
  const files = recv.run.events.filter((e) => e.event === 'file');
  assert.deepEqual(files.map((f) => f.path).sort(), ['photos/big.bin', 'photos/sub/deeper/empty', 'photos/sub/note é.txt']);
  for (const f of files) assert.equal(f.savedPath, join(base, 'in', ...(f.path as string).split('/')));
  assert.deepEqual(await fs.readFile(join(base, 'in', 'photos', 'big.bin')), big);
  assert.equal(await fs.readFile(join(base, 'in', 'photos', 'sub', 'note é.txt'), 'utf8'), 'hello ferry');
  assert.equal((await fs.stat(join(base, 'in', 'photos', 'sub', 'deeper', 'empty'))).size, 0);
  assert.equal(await stop(recv.run), 0, 'SIGTERM stops the receiver cleanly');
});

test('human output: a summary on stdout, progress on stderr', { timeout: 180_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  await fs.writeFile(join(base, 'a.txt'), 'abc');
  const recv = await startReceiver(join(base, 'in'), join(base, 'rstate'));
  t.after(() => stop(recv.run));
  const send = runCli(['send', join(base, 'a.txt'), '--to', `127.0.0.1:${recv.port}`, '--state-dir', join(base, 'sstate')]);
  assert.equal(await exitCode(send), 0, send.stderr());
  assert.match(send.stdout(), /^(Waiting for ".*" \([0-9a-f ]{19}\) to accept|Sending to ".*" \([0-9a-f ]{19}\))\. Pairing code: \d{3} \d{3}\nSent 1 file, 3 B to ".*" in [\d.]+ s .*All verified\.\n$/);
  assert.match(send.stderr(), /100%\s+3 B \/ 3 B/);
});

test('send to a closed port fails at once with one line naming the code', { timeout: 180_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  await fs.writeFile(join(base, 'a.txt'), 'abc');
  const send = runCli(['send', join(base, 'a.txt'), '--to', `127.0.0.1:${await freePort()}`, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(send), 1);
  const lines = send.stderr().trim().split('\n');
  assert.equal(lines.length, 1, send.stderr());
  assert.match(lines[0], /^ferry: E_UNREACHABLE: /);
});

test('a wrong --fingerprint is refused before anything is sent', { timeout: 180_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  await fs.writeFile(join(base, 'a.txt'), 'abc');
  const recv = await startReceiver(join(base, 'in'), join(base, 'rstate'));
  t.after(() => stop(recv.run));
  const wrong = 'f'.repeat(64);
  const send = runCli(['send', join(base, 'a.txt'), '--to', `[::1]:${recv.port}`, '--fingerprint', wrong, '--state-dir', join(base, 's'), '--json']);
  assert.equal(await exitCode(send), 1);
  assert.match(send.stderr().trim(), /^ferry: E_FINGERPRINT_MISMATCH: [^\n]+$/);
  assert.ok(send.events.some((e) => e.event === 'error' && e.code === 'E_FINGERPRINT_MISMATCH'));
  await assert.rejects(fs.stat(join(base, 'in', 'a.txt')));
});

test('without a terminal, --accept ask declines and the sender says so', { timeout: 180_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  await fs.writeFile(join(base, 'a.txt'), 'abc');
  const recv = await startReceiver(join(base, 'in'), join(base, 'rstate'), ['--accept', 'ask']);
  t.after(() => stop(recv.run));
  const send = runCli(['send', join(base, 'a.txt'), '--to', `127.0.0.1:${recv.port}`, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(send), 1);
  assert.match(send.stderr().trim(), /^ferry: E_REJECTED: [^\n]+$/);
  const offer = await recv.run.waitFor((e) => e.event === 'offer');
  assert.equal(offer.files, 1);
  assert.equal(offer.totalBytes, 3);
  assert.match(offer.pairingCode as string, /^\d{6}$/);
  await recv.run.waitFor((e) => e.event === 'declined');
  assert.match(recv.run.stderr(), /declined 1 file, 3 B from .*no terminal to ask on/);
});

test('--accept trusted takes a trusted sender and declines others', { timeout: 180_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  await fs.writeFile(join(base, 'a.txt'), 'abc');
  const rstate = join(base, 'rstate');
  const recv = await startReceiver(join(base, 'in'), rstate, ['--accept', 'trusted']);
  t.after(() => stop(recv.run));
  const first = runCli(['send', join(base, 'a.txt'), '--to', `127.0.0.1:${recv.port}`, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(first), 1);
  assert.match(first.stderr(), /E_REJECTED/);
  // The receiver met the sender; trust it by name from another process, using the same state dir.
  const devices = runCli(['devices', '--state-dir', rstate, '--json']);
  assert.equal(await exitCode(devices), 0);
  const sender = devices.events.find((e) => e.event === 'device')!;
  assert.equal(sender.trusted, false);
  const trust = runCli(['trust', (sender.fingerprint as string).slice(0, 12), '--state-dir', rstate]);
  assert.equal(await exitCode(trust), 0, trust.stderr());
  assert.match(trust.stdout(), /^Trusted: /);
  const second = runCli(['send', join(base, 'a.txt'), '--to', `127.0.0.1:${recv.port}`, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(second), 0, second.stderr());
  assert.equal(await fs.readFile(join(base, 'in', 'a.txt'), 'utf8'), 'abc');
});

test('receive into a path blocked by a file fails with one line', { timeout: 60_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  await fs.writeFile(join(base, 'file'), 'x');
  const recv = runCli(['receive', '--dir', join(base, 'file', 'in'), '--state-dir', join(base, 'r'), '--port', '0', '--no-discovery']);
  assert.equal(await exitCode(recv), 1);
  assert.match(recv.stderr().trim(), /^ferry: E_IO: Cannot use .* as the download folder: a file is in the way$/);
});

// Node's recursive mkdir spins forever there (util/make-dirs.ts): this hung with no output.
test('receive into a folder that cannot exist (/proc) fails with one line', { timeout: 60_000, skip: process.platform !== 'linux' && 'no /proc' }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-');
  const recv = runCli(['receive', '--dir', '/proc/ferry-no-such/in', '--state-dir', join(base, 'r'), '--port', '0', '--no-discovery']);
  assert.equal(await exitCode(recv, 20_000), 1, `no clean exit: ${recv.stderr()}`);
  assert.match(recv.stderr().trim(), /^ferry: E_IO: Cannot use \/proc\/ferry-no-such\/in as the download folder: Cannot create \/proc\/ferry-no-such: \/proc cannot hold folders$/);
});
