// receive --accept ask on a real terminal (a pty from util-linux `script`): the offer is shown
// with the pairing code, and the answer typed decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { exitCode, runCli } from './cli-helpers';
import { tempDir } from '../util/tmp-dir';

const hasScript = spawnSync('script', ['--version']).status === 0;
const ENTRY = join(__dirname, '..', '..', 'src', 'cli', 'index.ts');

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A receiver whose stdin/stdout are a terminal. */
function receiverOnPty(dir: string, stateDir: string) {
  const cmd = [process.execPath, '--import', 'tsx', ENTRY, 'receive', '--dir', dir, '--state-dir', stateDir, '--port', '0', '--no-discovery', '--json'];
  const child = spawn('script', ['-q', '-e', '-c', cmd.map(quote).join(' '), '/dev/null'], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FERRY_LOG: '', TERM: 'dumb' },
  });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  const until = (re: RegExp, ms = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        const m = text.match(re);
        if (m) {
          clearInterval(tick);
          resolve(m);
        } else if (Date.now() - started > ms || child.exitCode !== null) {
          clearInterval(tick);
          reject(new Error(`no ${re} in terminal output: ${text}`));
        }
      }, 50);
    });
  return { child, until, text: () => text };
}

for (const answer of ['y', 'n'] as const) {
  test(`on a terminal, --accept ask asks and answering ${answer} decides`, { timeout: 180_000, skip: !hasScript && 'no util-linux script' }, async (t) => {
    const base = await tempDir(t, 'ferry-cli-pty-');
    await fs.writeFile(join(base, 'a.txt'), 'typed yes');
    const recv = receiverOnPty(join(base, 'in'), join(base, 'r'));
    t.after(() => {
      recv.child.kill('SIGKILL');
    });
    const port = Number((await recv.until(/"event":"listening","port":(\d+)/))[1]);
    const send = runCli(['send', join(base, 'a.txt'), '--to', `127.0.0.1:${port}`, '--state-dir', join(base, 's')]);
    const code = (await recv.until(/Pairing code: (\d{3} \d{3})/))[1];
    const shownBySender = (await send.waitForText(/Pairing code: (\d{3} \d{3})/))[1];
    assert.equal(shownBySender, code, 'the same code on both screens');
    assert.match(recv.text(), /wants to send 1 file, 9 B:/);
    assert.match(recv.text(), /a\.txt \(9 B\)/);
    await recv.until(/Accept\? \[y\/N\]/);
    recv.child.stdin.write(`${answer}\r`);
    const exit = await exitCode(send);
    if (answer === 'y') {
      assert.equal(exit, 0, send.stderr());
      assert.equal(await fs.readFile(join(base, 'in', 'a.txt'), 'utf8'), 'typed yes');
    } else {
      assert.equal(exit, 1);
      assert.match(send.stderr(), /E_REJECTED/);
      await assert.rejects(fs.stat(join(base, 'in', 'a.txt')));
    }
  });
}
