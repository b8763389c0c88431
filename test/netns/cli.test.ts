// The real `ferry` CLI in two hosts: `ferry send FILE --to NAME` finds the receiver by discovery
// across the link and the file arrives intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineChild } from './child';
import { lab, skip, tempDir } from './fixtures';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'index.ts');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('ferry send --to NAME reaches a ferry receive in another host', { timeout: 120_000, skip }, async (t) => {
  const l = await lab(t, 2);
  const env = { FERRY_DISCOVERY_INTERFACES: l.iface, FERRY_LOG: '' };
  const inbox = await tempDir(t);
  const receiver = new LineChild(
    l.spawnNode(1, CLI, ['receive', '--dir', inbox, '--accept', 'all', '--name', 'Beta', '--state-dir', await tempDir(t), '--json'], env),
  );
  t.after(() => void receiver.proc.kill('SIGTERM'));
  await receiver.wait((e) => (e as { event?: string }).event === 'listening', 30_000, 'receiver listening');

  const content = randomBytes(2 * 1024 * 1024 + 3);
  const src = join(await tempDir(t), 'holiday.jpg');
  await writeFile(src, content);
  const sender = new LineChild(l.spawnNode(0, CLI, ['send', src, '--to', 'Beta', '--name', 'Alpha', '--state-dir', await tempDir(t), '--json'], env));
  const code = await Promise.race([sender.exited, new Promise((r) => setTimeout(r, 60_000, 'timeout'))]);
  assert.equal(code, 0, `send exited ${String(code)}; events: ${JSON.stringify(sender.events.slice(-3))}`);
  assert.equal(sha(await readFile(join(inbox, 'holiday.jpg'))), sha(content));
});

// Alone in its own host: on loopback, discovery tests running beside it answer the lookup.
test('ferry peers that finds nobody says what to check: ports, isolating networks, sending by address', { timeout: 60_000, skip }, async (t) => {
  const l = await lab(t, 1);
  const child = l.spawnNode(0, CLI, ['peers', '--wait', '0', '--state-dir', await tempDir(t)], { FERRY_DISCOVERY_INTERFACES: l.iface, FERRY_LOG: '' });
  let text = ''; // the advice goes to stdout (stderr is the test's own)
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  const code = await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 30_000, 'timeout'))]);
  assert.equal(code, 0, text);
  assert.match(text, /No devices found in 0 s/);
  assert.match(text, /UDP port 53417/);
  assert.match(text, /AP isolation/);
  assert.match(text, /--to 192\.168\.1\.20:53417/);
});
