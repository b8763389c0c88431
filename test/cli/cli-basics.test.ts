import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { exitCode, runCli } from './cli-helpers';
import { parseTarget } from '../../src/cli/target';
import { formatBytes, formatEta, shortFingerprint } from '../../src/cli/format';
import { flushOutputs, Output } from '../../src/cli/output';
import { describe, ProgressView } from '../../src/cli/progress';
import pkg from '../../package.json';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk;
      cb();
    },
  });
  return { stream, text: () => text };
}

test('--version, --help and per-command help', async () => {
  const v = runCli(['--version']);
  assert.equal(await exitCode(v), 0);
  assert.equal(v.stdout().trim(), `ferry ${pkg.version}`);
  const h = runCli(['--help']);
  assert.equal(await exitCode(h), 0);
  for (const cmd of ['receive', 'send', 'peers', 'devices', 'trust', 'untrust']) assert.match(h.stdout(), new RegExp(`\\b${cmd}\\b`));
  const sh = runCli(['send', '--help']);
  assert.equal(await exitCode(sh), 0);
  assert.match(sh.stdout(), /--fingerprint FP/);
});

test('usage mistakes exit 2 with a clear message', async () => {
  const cases: [string[], RegExp][] = [
    [['send', 'x', '--to', 'h:1', '--bogus'], /Unknown option '--bogus'/],
    [['receive', '--dir'], /--dir/],
    [['receive'], /needs --dir/],
    [['receive', '--dir', '/tmp/x', '--accept', 'maybe'], /--accept must be ask, trusted or all/],
    [['receive', '--dir', '/tmp/x', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['send', '--to', '127.0.0.1:1'], /at least one PATH/],
    [['send', 'file'], /needs --to/],
    [['send', 'file', '--to', 'h:1', '--fingerprint', 'abc'], /64 hex digits/],
    [['send', 'file', '--to', 'h:1', '--retry', 'soon'], /--retry must be a whole number from 0 to 86400/],
    [['peers', '--wait', 'soon'], /--wait must be a number/],
    [['frobnicate'], /Unknown command 'frobnicate'/],
    [['trust'], /exactly one NAME or FINGERPRINT/],
  ];
  for (const [args, why] of cases) {
    const r = runCli(args);
    assert.equal(await exitCode(r), 2, `${args.join(' ')}: ${r.stderr()}`);
    assert.match(r.stderr(), why, args.join(' '));
    assert.equal(r.stderr().trim().split('\n').length, 1, `one line for ${args.join(' ')}`);
  }
});

test('parseTarget tells addresses from names', () => {
  assert.deepEqual(parseTarget('127.0.0.1:53417'), { host: '127.0.0.1', port: 53417 });
  assert.deepEqual(parseTarget('[::1]:8080'), { host: '::1', port: 8080 });
  assert.deepEqual(parseTarget('[fe80::1%eth0]:1'), { host: 'fe80::1%eth0', port: 1 });
  assert.deepEqual(parseTarget('laptop.local:2000'), { host: 'laptop.local', port: 2000 });
  assert.deepEqual(parseTarget('Alice laptop'), { name: 'Alice laptop' });
  assert.deepEqual(parseTarget('::1'), { name: '::1' });
  assert.throws(() => parseTarget('host:0'), { code: 'E_INVALID_ARGUMENT' });
  assert.throws(() => parseTarget('[::1]:99999'), { code: 'E_INVALID_ARGUMENT' });
});

test('formatting for people', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(200 * 1024 ** 2), '200 MiB');
  assert.equal(formatEta(75), '1:15');
  assert.equal(formatEta(3700), '1:01:40');
  assert.equal(formatEta(null), '--:--');
  assert.equal(shortFingerprint('0123456789abcdef0123'), '0123 4567 89ab cdef');
});

const nextTurn = () => new Promise((r) => setImmediate(r));

test('progress: JSON lines are throttled, the final one always comes', async () => {
  const out = sink();
  const view = new ProgressView(new Output(true, out.stream, sink().stream), { transferId: 't1' });
  view.update({ bytes: 10, total: 100, speed: 5, eta: 18 }, 1_000);
  view.update({ bytes: 20, total: 100, speed: 5, eta: 16 }, 1_100); // too soon
  view.update({ bytes: 30, total: 100, speed: 5, eta: 14 }, 1_300);
  view.finish({ bytes: 100, total: 100, speed: 0, eta: 0 });
  await nextTurn();
  const lines = out.text().trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.bytes), [10, 30, 100]);
  assert.deepEqual(lines[0], { event: 'progress', transferId: 't1', bytes: 10, total: 100, speed: 5 });
});

test('output: one write per turn of the event loop, in order, before a note, at exit, and at once past 64 KiB', async () => {
  const log: string[] = [];
  const recorder = (name: string) =>
    new Writable({
      write(chunk, _enc, cb) {
        log.push(`${name}:${chunk}`);
        cb();
      },
    });
  const out = new Output(true, recorder('out'), recorder('err'));
  for (let i = 0; i < 1000; i++) out.event({ event: 'file', i });
  assert.equal(log.length, 0, 'held until the turn ends');
  await nextTurn();
  assert.equal(log.length, 1, 'a thousand lines, one write');
  assert.deepEqual(log[0].slice(4).trim().split('\n').map((l) => JSON.parse(l).i), [...Array(1000).keys()]);

  log.length = 0;
  out.event({ event: 'a' });
  out.note('careful');
  assert.deepEqual(log, ['out:{"event":"a"}\n', 'err:careful\n'], 'what came before a note shows before it');
  log.length = 0;
  out.event({ event: 'b' });
  flushOutputs();
  assert.deepEqual(log, ['out:{"event":"b"}\n'], 'written before the CLI exits');
  log.length = 0;
  out.event({ event: 'big', text: 'x'.repeat(70_000) });
  assert.equal(log.length, 1, 'past 64 KiB held, written at once');
  const text = new Output(false, recorder('out'), recorder('err'));
  text.say('Received a');
  text.event({ event: 'hidden' });
  await nextTurn();
  assert.deepEqual(log.slice(1), ['out:Received a\n'], 'sentences without --json, no JSON');
});

test('progress: a bar redrawn in place on a terminal, plain lines otherwise', () => {
  const tty = sink();
  const bar = new ProgressView(new Output(false, sink().stream, tty.stream), {}, true, tty.stream);
  bar.update({ bytes: 50 * 1024 ** 2, total: 100 * 1024 ** 2, speed: 10 * 1024 ** 2, eta: 5 }, 1_000);
  bar.finish({ bytes: 100 * 1024 ** 2, total: 100 * 1024 ** 2, speed: 0, eta: 0 });
  assert.match(tty.text(), /^\r\[#{12}\.{12}\] {2}50% {2}50\.0 MiB \/ 100 MiB {2}10\.0 MiB\/s {2}ETA 0:05/);
  assert.ok(tty.text().endsWith(`\r[${'#'.repeat(24)}] 100%  100 MiB / 100 MiB\x1b[K\n`), `done: no speed or ETA on the bar: ${JSON.stringify(tty.text())}`);
  assert.equal(describe({ bytes: 0, total: 10, speed: 0, eta: null }), '  0%  0 B / 10 B  --  ETA --:--');
  const file = sink();
  const lines = new ProgressView(new Output(false, sink().stream, file.stream), {}, false, file.stream);
  lines.update({ bytes: 1, total: 4, speed: 1, eta: 3 }, 10_000);
  lines.update({ bytes: 2, total: 4, speed: 1, eta: 2 }, 10_500); // within 2 s: skipped
  lines.finish({ bytes: 4, total: 4, speed: 0, eta: 0 });
  assert.deepEqual(file.text().trim().split('\n').map((l) => l.trim().split(' ')[0]), ['25%', '100%']);
});
