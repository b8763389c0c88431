// The bench harness on tiny inputs: it must measure real transfers, verify them, and catch a bad copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile, appendFile, unlink, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSourceFile, makeSourceTree } from '../../bench/lib/sources';
import { ferryFile, ferryTree, LOOPBACK, tarPipeTree, tcpPipeFile, wsFile, wsPackTree, type Ctx } from '../../bench/lib/transfers';
import { tlsFiles } from '../../bench/lib/tls-files';
import { checkFile, checkTree } from '../../bench/lib/verify';
import { CREATE_MICROS_NORMAL, probeCreateCost, waitForNormalCreateCost } from '../../bench/lib/create-cost';
import { describeMachine, machineLine } from '../../bench/lib/machine';
import { bundleWorkers } from '../../bench/lib/workers';
import { opener, sealer } from '../../bench/workers/aead';
import { diskNeeded, makePlan, SCENARIO, SMALL_FILE_TOOLS } from '../../bench/lib/plan';
import { summarize } from '../../bench/lib/stats';
import { evaluateTargets } from '../../bench/lib/targets';
import type { RunResult, SideStats, Tool } from '../../bench/lib/types';
import { loadOrCreateIdentity } from '../../src/main/engine/identity/identity';

let dir: string;
let ctx: Ctx;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-bench-test-'));
  const bundleDir = await bundleWorkers(join(dir, 'workers'));
  ctx = { bundleDir, scratch: join(dir, 'scratch'), placement: LOOPBACK };
  await mkdir(ctx.scratch);
});
after(() => rm(dir, { recursive: true, force: true }));

function assertMeasured(r: RunResult, bytes: number, files: number) {
  assert.equal(r.verified, true, r.mismatch);
  assert.equal(r.bytes, bytes);
  assert.equal(r.files, files);
  assert.ok(r.seconds > 0 && r.seconds < 60, `seconds ${r.seconds}`);
  for (const side of [r.sender, r.receiver]) {
    assert.ok(side.peakRssBytes > 10e6, `a node process has a peak RSS of more than 10 MB, got ${side.peakRssBytes}`);
    assert.ok(side.userSeconds + side.systemSeconds > 0, 'CPU time was measured');
  }
}

test('TCP pipe moves a file and the copy verifies', { timeout: 60_000 }, async () => {
  const src = await makeSourceFile(join(dir, 'one.bin'), 3 * 1024 * 1024 + 7);
  assertMeasured(await tcpPipeFile(ctx, 't', src), src.size, 1);
});

test('tar pipe moves a tree and the copy verifies', { timeout: 60_000 }, async () => {
  const tree = await makeSourceTree(join(dir, 'tree'), 150, 4096);
  assertMeasured(await tarPipeTree(ctx, 't', tree), 150 * 4096, 150);
});

const SAVE_REFS = ['tar-save', 'ws-tls-save', 'ws-tls-save-thread'] as const;
for (const tool of SAVE_REFS) {
  test(`${tool} (saved with Ferry's save calls) moves a tree, verified, with no temp file left`, { timeout: 60_000 }, async () => {
    const tree = await makeSourceTree(join(dir, `tree-${tool}`), 150, 4096);
    const before = new Set(await readdir(ctx.scratch));
    const r = tool === 'tar-save' ? await tarPipeTree(ctx, 't', tree, 'tar-save') : await wsPackTree(ctx, 't', tree, await tlsFiles(dir), tool === 'ws-tls-save-thread');
    assertMeasured(r, 150 * 4096, 150);
    assert.equal(r.tool, tool);
    const [dst] = (await readdir(ctx.scratch)).filter((d) => !before.has(d) && !d.endsWith('.journal'));
    const names = await readdir(join(ctx.scratch, dst), { recursive: true });
    assert.deepEqual(names.filter((n) => n.endsWith('.ferry-part')), []);
    assert.equal(names.filter((n) => n.endsWith('.bin')).length, 150);
  });
}

test('ws over TLS (with and without BLAKE3), plain, and plain with AES-GCM per message all move the file intact', { timeout: 60_000 }, async () => {
  const src = await makeSourceFile(join(dir, 'ws.bin'), 2 * 1024 * 1024 + 3);
  const id = await loadOrCreateIdentity(join(dir, 'id'));
  const tls = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  await writeFile(tls.cert, id.certPem);
  await writeFile(tls.key, id.keyPem);
  assertMeasured(await wsFile(ctx, 't', src, tls), src.size, 1);
  assertMeasured(await wsFile(ctx, 't', src, { ...tls, hash: true }), src.size, 1);
  assertMeasured(await wsFile(ctx, 't', src, 'plain'), src.size, 1);
  assertMeasured(await wsFile(ctx, 't', src, 'aead'), src.size, 1);
});

test('Ferry moves a file and a tree between two engine processes, verified', { timeout: 120_000 }, async () => {
  const src = await makeSourceFile(join(dir, 'ferry.bin'), 5 * 1024 * 1024 + 11);
  assertMeasured(await ferryFile(ctx, 't', src), src.size, 1);
  const tree = await makeSourceTree(join(dir, 'ferry-tree'), 120, 4096);
  assertMeasured(await ferryTree(ctx, 't', tree), 120 * 4096, 120);
});

test('verification catches a changed byte, a short file and a missing file', async () => {
  const src = await makeSourceFile(join(dir, 'v.bin'), 10_000);
  assert.equal(await checkFile(src.path, src.sha256, src.size), null);
  await appendFile(src.path, 'x');
  assert.match((await checkFile(src.path, src.sha256, src.size)) ?? '', /10001 bytes/);
  await writeFile(src.path, Buffer.alloc(10_000));
  assert.match((await checkFile(src.path, src.sha256, src.size)) ?? '', /SHA-256/);
  assert.match((await checkFile(join(dir, 'nope'), src.sha256, src.size)) ?? '', /missing/);

  const a = await makeSourceTree(join(dir, 'ta'), 5, 100);
  const b = await makeSourceTree(join(dir, 'tb'), 5, 100);
  assert.match((await checkTree(a.dir, b.dir)) ?? '', /content differs/, 'same names and sizes, other bytes');
  const sub = (await readdir(a.dir))[0];
  const first = (await readdir(join(a.dir, sub)))[0];
  await unlink(join(b.dir, sub, first));
  assert.match((await checkTree(a.dir, b.dir)) ?? '', /4 files/);
});

test('verification reads small files whole and streams big ones, and both catch a changed last byte', async () => {
  for (const size of [4096, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024]) {
    const a = join(dir, `vs-a-${size}`);
    const b = join(dir, `vs-b-${size}`);
    await mkdir(join(a, 'd'), { recursive: true });
    await mkdir(join(b, 'd'), { recursive: true });
    const bytes = randomBytes(size);
    await writeFile(join(a, 'd', 'f'), bytes);
    await writeFile(join(b, 'd', 'f'), bytes);
    assert.equal(await checkTree(a, b), null, `${size} bytes, same content`);
    bytes[size - 1] ^= 1;
    await writeFile(join(b, 'd', 'f'), bytes);
    assert.match((await checkTree(a, b)) ?? '', /content differs/, `${size} bytes, last byte changed`);
  }
});

test('the create-cost probe times real file creation, leaves its files, and reports a slow file system', async () => {
  const probeDir = join(dir, 'probe');
  const micros = probeCreateCost(probeDir);
  assert.ok(micros > 0 && Number.isFinite(micros), `micros ${micros}`);
  const [folder] = await readdir(probeDir);
  assert.equal((await readdir(join(probeDir, folder))).length, 200, 'the probe files stay for the workspace cleanup');
  const said: string[] = [];
  const cost = await waitForNormalCreateCost(probeDir, (l) => said.push(l), 0);
  assert.equal(cost.waitedSeconds, 0, 'no time to wait: one probe only');
  assert.deepEqual(said, [], 'nothing said when it does not wait');
  assert.equal((await readdir(probeDir)).length, 2);

  const m = { ...describeMachine(), createMicros: 12.4, createWaitSeconds: 0 };
  assert.match(machineLine(m), /creating a file 12 us before the small files$/);
  assert.match(machineLine({ ...m, createMicros: CREATE_MICROS_NORMAL + 100, createWaitSeconds: 420 }), /after waiting 420 s - still slowed by recent deletes/);
});

const stats = (rss: number): SideStats => ({ userSeconds: 0.5, systemSeconds: 0.5, peakRssBytes: rss });
const run = (scenario: string, tool: Tool, bytes: number, files: number, seconds: number, rss = 80e6, verified = true): RunResult => ({
  scenario, tool, bytes, files, seconds, sender: stats(rss), receiver: stats(rss), verified,
});

test('the disk check counts what the chosen parts make and keep', () => {
  const block = 4096;
  const trees = (p: ReturnType<typeof makePlan>) => p.smallFileCounts.reduce((a, n) => a + n * block, 0);
  const small = makePlan(['--only', 'small']);
  // The large source is always made; each tool's small-file destinations stay until the end.
  assert.equal(diskNeeded(small), small.largeFileBytes + trees(small) * (1 + SMALL_FILE_TOOLS.length * small.runs));
  const full = makePlan([]);
  assert.ok(diskNeeded(full) >= 2 * full.largeFileBytes + 2 * full.hugeFileBytes + trees(full) * (1 + 5 * full.runs));
  const many = makePlan(['--only', 'many']);
  assert.equal(diskNeeded(many), many.largeFileBytes + 2 * many.manyFileCount * block);
});

test('targets pass and fail on the thresholds of the issue', () => {
  const plan = makePlan([]);
  const [c1, c2, c3] = plan.smallFileCounts;
  const base = [
    run(SCENARIO.large, 'tcp-pipe', 1e9, 1, 1),
    run(SCENARIO.huge, 'ferry', 4e9, 1, 5, 90e6),
    run(SCENARIO.shaped, 'tcp-pipe', 1e9, 1, 8.4),
    run(SCENARIO.shaped, 'ferry', 1e9, 1, 8.3),
    run(SCENARIO.small(c1), 'ferry', c1 * 4096, c1, c1 / 5000),
    run(SCENARIO.small(c2), 'ferry', c2 * 4096, c2, c2 / 5000),
    run(SCENARIO.small(c3), 'tar-pipe', c3 * 4096, c3, c3 / 9000),
  ];
  const verdicts = (extra: RunResult[]) =>
    Object.fromEntries(evaluateTargets(plan, summarize([...base, ...extra]), 1e9).map((t) => [t.target.split(':')[0], t.verdict]));

  const good = verdicts([run(SCENARIO.large, 'ferry', 1e9, 1, 1.2), run(SCENARIO.small(c3), 'ferry', c3 * 4096, c3, c3 / 5000)]);
  assert.deepEqual(Object.values(good), Array(7).fill('PASS'));
  // The memory target is about file size: the opt-in batch of 100,000 files is shown, not judged.
  const n = plan.manyFileCount;
  const many = verdicts([run(SCENARIO.large, 'ferry', 1e9, 1, 1.2), run(SCENARIO.small(c3), 'ferry', c3 * 4096, c3, c3 / 5000), run(SCENARIO.many(n), 'ferry', n * 4096, n, 12, 260e6)]);
  assert.deepEqual(Object.values(many), Array(7).fill('PASS'));
  assert.equal(plan.parts.has('many'), false, 'many runs only when named');
  const onlyMany = makePlan(['--only', 'many']);
  assert.deepEqual([...onlyMany.parts], ['many']);
  const rss = evaluateTargets(onlyMany, summarize([run(SCENARIO.many(n), 'ferry', n * 4096, n, 12, 260e6)]), null).find((t) => t.target.startsWith('peak RSS of each'));
  assert.equal(rss?.verdict, 'SKIP', 'the file-size memory target is not judged on a many-files run alone');

  const bad = verdicts([
    run(SCENARIO.large, 'ferry', 1e9, 1, 1.3, 210e6), // 0.77x, and over 200 MB
    run(SCENARIO.small(c3), 'ferry', c3 * 4096, c3, c3 / 3000, 80e6, false), // slower, and a bad copy
  ]);
  assert.equal(bad['large file'], 'FAIL');
  assert.equal(bad['peak RSS of each Ferry side < 200 MB (every run)'], 'FAIL');
  assert.equal(bad[`${c3} small files`], 'FAIL', 'a run that did not verify counts for nothing');
  assert.equal(bad['every run verified (SHA-256 of every destination file)'], 'FAIL');

  // The stack's own cost (raw ws + TLS + BLAKE3) is shown beside the large-file verdict, never judged.
  const withStack = evaluateTargets(plan, summarize([...base, run(SCENARIO.large, 'ferry', 1e9, 1, 1.6), run(SCENARIO.tls, 'ws-tls-hash', 1e9, 1, 1.4)]), 1e9);
  const large = withStack.find((t) => t.target.startsWith('large file'));
  assert.equal(large?.verdict, 'FAIL');
  assert.match(large?.measured ?? '', /^0\.63x .*; ws \+ TLS \+ BLAKE3 alone 0\.71x$/);

  const noLink = evaluateTargets(plan, summarize(base), null, 'not running as root');
  assert.equal(noLink.find((t) => t.target.startsWith('shaped'))?.verdict, 'SKIP');
});

test('the AES-GCM variant refuses an altered or replayed message', () => {
  const key = randomBytes(16);
  const seal = sealer(key);
  const [a, b] = [seal(randomBytes(200_000)), seal(randomBytes(10))].map((parts) => Buffer.concat(parts));
  const altered = Buffer.from(a);
  altered[1234] ^= 1;
  assert.throws(() => opener(key)(altered), /auth/i);
  assert.throws(() => opener(key)(b), /auth/i, 'second message opened as the first');
  const open = opener(key);
  assert.equal(Buffer.concat(open(a)).length, 200_000);
  assert.equal(Buffer.concat(open(b)).length, 10);
});
