// Discovery through the CLI, on loopback only (FERRY_DISCOVERY_INTERFACES=lo, set by runCli).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { exitCode, runCli, stop } from './cli-helpers';
import { tempDir } from '../util/tmp-dir';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';

test('peers, send --to NAME and trust NAME find a receiver by discovery', { timeout: 240_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-disc-');
  const name = `cli-test-${randomBytes(4).toString('hex')}`;
  const recv = runCli(['receive', '--dir', join(base, 'in'), '--state-dir', join(base, 'r'), '--port', '0', '--accept', 'all', '--name', name, '--json']);
  t.after(() => stop(recv));
  const listening = await recv.waitFor((e) => e.event === 'listening');

  const peers = runCli(['peers', '--wait', '3', '--json', '--state-dir', join(base, 'p')]);
  assert.equal(await exitCode(peers), 0, peers.stderr());
  const found = peers.events.find((e) => e.event === 'peer' && e.name === name);
  assert.ok(found, `peer ${name} among ${JSON.stringify(peers.events)}`);
  assert.equal(found.port, listening.port);
  assert.equal(found.fingerprint, listening.fingerprint);
  assert.equal(found.protocolVersion, PROTOCOL_VERSION);
  assert.equal(typeof found.address, 'string');
  assert.equal(found.deviceType, 'desktop');

  await fs.writeFile(join(base, 'hello.txt'), 'found you');
  const send = runCli(['send', join(base, 'hello.txt'), '--to', name, '--state-dir', join(base, 's'), '--json']);
  assert.equal(await exitCode(send), 0, send.stderr());
  assert.equal(await fs.readFile(join(base, 'in', 'hello.txt'), 'utf8'), 'found you');

  const wrong = runCli(['send', join(base, 'hello.txt'), '--to', name, '--fingerprint', '0'.repeat(64), '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(wrong), 1);
  assert.match(wrong.stderr().trim(), /^ferry: E_FINGERPRINT_MISMATCH: [^\n]+$/);

  const trust = runCli(['trust', name, '--state-dir', join(base, 't')]);
  assert.equal(await exitCode(trust), 0, trust.stderr());
  const devices = runCli(['devices', '--json', '--state-dir', join(base, 't')]);
  assert.equal(await exitCode(devices), 0);
  const dev = devices.events.find((e) => e.event === 'device' && e.name === name);
  assert.ok(dev, JSON.stringify(devices.events));
  assert.equal(dev.fingerprint, listening.fingerprint);
  assert.equal(dev.trusted, true);

  const untrust = runCli(['untrust', name, '--state-dir', join(base, 't'), '--json']);
  assert.equal(await exitCode(untrust), 0, untrust.stderr());
  assert.deepEqual(untrust.events[0], { event: 'untrusted', fingerprint: listening.fingerprint, name });
});

test('send --to an unknown name fails with E_NOT_FOUND after the wait', { timeout: 120_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-disc-');
  await fs.writeFile(join(base, 'a.txt'), 'x');
  const send = runCli(['send', join(base, 'a.txt'), '--to', `nobody-${randomBytes(4).toString('hex')}`, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(send), 1);
  assert.match(send.stderr().trim(), /^ferry: E_NOT_FOUND: No device named "nobody-[0-9a-f]+" answered within 5 s[^\n]*$/);
});

test('two devices with one name: send asks for --fingerprint, and --fingerprint picks one', { timeout: 240_000 }, async (t) => {
  const base = await tempDir(t, 'ferry-cli-disc-');
  const name = `twin-${randomBytes(4).toString('hex')}`;
  const start = async (tag: string) => {
    const run = runCli(['receive', '--dir', join(base, `in-${tag}`), '--state-dir', join(base, `r-${tag}`), '--port', '0', '--accept', 'all', '--name', name, '--json']);
    t.after(() => stop(run));
    return { run, listening: await run.waitFor((e) => e.event === 'listening') };
  };
  const [a, b] = await Promise.all([start('a'), start('b')]);
  await fs.writeFile(join(base, 'x.txt'), 'for b');
  const ambiguous = runCli(['send', join(base, 'x.txt'), '--to', name, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(ambiguous), 1, ambiguous.stderr());
  assert.match(ambiguous.stderr(), /E_INVALID_ARGUMENT: 2 devices are named/);
  const pinned = runCli(['send', join(base, 'x.txt'), '--to', name, '--fingerprint', b.listening.fingerprint as string, '--state-dir', join(base, 's')]);
  assert.equal(await exitCode(pinned), 0, pinned.stderr());
  assert.equal(await fs.readFile(join(base, 'in-b', 'x.txt'), 'utf8'), 'for b');
  await assert.rejects(fs.stat(join(base, 'in-a', 'x.txt')));
  assert.notEqual(a.listening.fingerprint, b.listening.fingerprint);
});
