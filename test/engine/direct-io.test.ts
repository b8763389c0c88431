// Large incoming files are written through an O_DIRECT descriptor where the file system takes one,
// through the page cache where it does not, and from the first unaligned write on; the saved file
// is the same either way. The descriptor is read from /proc: what the kernel holds, not a flag of ours.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { constants, existsSync, promises as fs, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { directIoFits } from '../../src/main/engine/transfer/direct-io';
import { BLOCK_SIZE } from '../../src/shared/protocol';
import { dataFrame, digestsOf, HostileClient, hostileIdentity } from '../support/hostile-client';
import { cleanup, startEngine, type TestEngine } from './helpers';

const MiB = 1024 * 1024;

/** Open descriptors of this process on files whose path contains `part`, with their open flags. */
function openFlags(part: string): number[] {
  const out: number[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (!target.includes(part)) continue;
    const flags = /^flags:\s+([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    if (flags) out.push(parseInt(flags[1], 8));
  }
  return out;
}
const hasDirect = (flags: number[]) => flags.some((f) => (f & constants.O_DIRECT) !== 0);

/**
 * Sends `content` as file 0 in frames of the given sizes (block digests as blocks complete, the
 * file digest on the last frame); calls `midway` once `pauseAt` bytes are acked as written.
 */
async function sendFramed(recv: TestEngine, content: Buffer, sizes: number[], pauseAt: number, midway: () => void): Promise<void> {
  const c = await HostileClient.connect({ port: recv.engine.identity.port, identity: await hostileIdentity(join(recv.stateDir, 'sender-id')) });
  try {
    await c.hello();
    const d = digestsOf(content, BLOCK_SIZE);
    const acc = await c.offer([{ path: 'big.bin', size: content.length }]);
    assert.ok(acc && 't' in acc && acc.t === 'accept', `offer not accepted: ${JSON.stringify(acc)}`);
    let at = 0;
    let paused = false;
    for (let i = 0; at < content.length; i++) {
      const end = Math.min(content.length, at + (sizes[i] ?? 2 * MiB));
      c.sendBinary(dataFrame(acc.handle as number, 0, at, content.subarray(at, end), end === content.length ? d.file : undefined));
      for (let b = Math.floor(at / BLOCK_SIZE); b < Math.floor(end / BLOCK_SIZE) && end < content.length; b++) {
        c.sendJson({ t: 'block', f: 0, b, h: d.blocks[b].toString('hex') });
      }
      at = end;
      if (!paused && at >= pauseAt) {
        paused = true;
        const ack = await c.waitFor((m) => 't' in m && m.t === 'ack' && (m.written as number) >= pauseAt, 10_000);
        assert.ok(ack, `no ack for ${pauseAt} bytes written`);
        midway();
      }
    }
    assert.deepEqual((await c.waitType('filesDone'))?.f, [0]);
  } finally {
    await c.end();
  }
}

test('a large file goes through an O_DIRECT descriptor, falls back at the first unaligned write, and arrives intact', async (t) => {
  const recv = await startEngine('receiver');
  try {
    await fs.mkdir(recv.downloadDir, { recursive: true });
    if (!constants.O_DIRECT || !(await directIoFits(recv.downloadDir))) return t.skip(`no direct I/O on the file system of ${recv.downloadDir}`);
    const content = randomBytes(20 * MiB + 1234);
    // 8 MiB in aligned frames, then a frame of odd length: every write after it is unaligned.
    const sizes = [2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB, 100_001];
    let flags: number[] = [];
    await sendFramed(recv, content, sizes, 8 * MiB, () => (flags = openFlags(recv.downloadDir)));
    assert.ok(flags.length > 0, 'the temp file was open');
    assert.ok(hasDirect(flags), `no O_DIRECT descriptor among ${flags.map((f) => f.toString(8)).join(', ')}`);
    assert.ok((await fs.readFile(join(recv.downloadDir, 'big.bin'))).equals(content), 'saved file differs');
    assert.deepEqual(openFlags(recv.downloadDir), [], 'every descriptor closed');
  } finally {
    await cleanup(recv);
  }
});

test('on a file system without direct I/O (tmpfs) a large file takes the page cache and arrives intact', async (t) => {
  if (!existsSync('/dev/shm')) return t.skip('no /dev/shm here');
  const downloadDir = await fs.mkdtemp('/dev/shm/ferry-direct-');
  const recv = await startEngine('receiver', { downloadDir });
  try {
    const content = randomBytes(18 * MiB + 7);
    let flags: number[] = [];
    await sendFramed(recv, content, [], 8 * MiB, () => (flags = openFlags(downloadDir)));
    assert.ok(flags.length > 0, 'the temp file was open');
    assert.ok(!hasDirect(flags), 'an O_DIRECT descriptor on tmpfs');
    assert.ok((await fs.readFile(join(downloadDir, 'big.bin'))).equals(content), 'saved file differs');
  } finally {
    await cleanup(recv);
    await fs.rm(downloadDir, { recursive: true, force: true });
  }
});
