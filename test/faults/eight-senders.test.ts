// 8 senders push to one receiver at the same time, large and small files mixed: every file
// arrives and verifies, nothing is left half-written.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanup, isFinal, sha256File, startEngine, tempDir, type TestEngine, waitTransfer, writeRandom } from '../engine/helpers';
import { seededRng } from './prng';

const MiB = 1024 * 1024;
const SENDERS = 8;

test(`faults: ${SENDERS} senders at once to one receiver, large and small files mixed, all verify`, { timeout: 240_000 }, async () => {
  const rng = seededRng('eight-senders');
  const recv = await startEngine('receiver');
  const senders: TestEngine[] = [];
  const src = await tempDir('ferry-src8-');
  try {
    const batches: { paths: string[]; files: { rel: string; abs: string }[] }[] = [];
    for (let s = 0; s < SENDERS; s++) {
      senders.push(await startEngine(`sender-${s}`));
      const dir = join(src, `from-${s}`);
      await fs.mkdir(join(dir, 'small'), { recursive: true });
      const files: { rel: string; abs: string }[] = [];
      const big = join(dir, `big-${s}.bin`);
      await writeRandom(big, (s % 2 ? 24 : 40) * MiB + rng.int(0, 999_999));
      files.push({ rel: `big-${s}.bin`, abs: big });
      for (let k = 0; k < 25; k++) {
        const p = join(dir, 'small', `s${k}.bin`);
        await writeRandom(p, rng.int(0, 200_000));
        files.push({ rel: `from-${s}/small/s${k}.bin`, abs: p });
      }
      batches.push({ paths: [big, join(dir, 'small')], files: files.map((f) => (f.rel.startsWith('big') ? f : { ...f, rel: f.rel.replace(`from-${s}/`, '') })) });
    }
    const to = { host: '127.0.0.1', port: recv.engine.identity.port, fingerprint: recv.engine.identity.fingerprint };
    const sent = await Promise.all(senders.map((e, s) => e.engine.send({ to, paths: batches[s].paths })));
    const results = await Promise.all(
      sent.map(async (t, s) => [await waitTransfer(senders[s].engine, isFinal('out', t.id), 200_000), await waitTransfer(recv.engine, isFinal('in', t.id), 200_000)]),
    );
    let files = 0;
    let bytes = 0;
    for (const [s, [out, inc]] of results.entries()) {
      assert.equal(out.state, 'completed', `sender ${s}: ${JSON.stringify(out.error)}`);
      assert.equal(inc.state, 'completed', `receiver of ${s}: ${JSON.stringify(inc.error)}`);
      for (const f of inc.files) {
        const mine = batches[s].files.find((x) => x.rel === f.path);
        assert.ok(mine && f.savedPath, `unexpected file ${f.path}`);
        assert.equal(await sha256File(f.savedPath), await sha256File(mine.abs), f.path);
        files++;
        bytes += f.size;
      }
    }
    console.log(`${SENDERS} senders: ${files} files, ${(bytes / MiB).toFixed(1)} MiB, all verified`);
    assert.equal(files, SENDERS * 26);
    const parts = (await fs.readdir(recv.downloadDir, { recursive: true })).filter((n) => String(n).endsWith('.ferry-part'));
    assert.deepEqual(parts, [], 'temp files left behind');
  } finally {
    await cleanup(recv, ...senders);
    await fs.rm(src, { recursive: true, force: true });
  }
});
