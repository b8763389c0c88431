// `npm run bench [-- --quick] [--runs N] [--no-netns] [--only tls,large,small,huge,shaped,many] [--profile [dir]]`
// (`many`, one batch of 100,000 files for peak RSS against the count, runs only when named).
// Ferry against baselines in the same run; prints a table, PASS/FAIL per target, and writes
// bench/results/latest.json. Exits 0 even when a target fails: it is a report, not a gate.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { waitForNormalCreateCost } from './lib/create-cost';
import { prepareSources } from './lib/sources';
import { describeMachine, machineLine } from './lib/machine';
import { netnsUnavailable } from './lib/netns';
import { diskNeeded, makePlan } from './lib/plan';
import { Recorder, type RunError } from './lib/recorder';
import { summarize } from './lib/stats';
import { resultsTable, targetsTable } from './lib/table';
import { evaluateTargets } from './lib/targets';
import { LOOPBACK, type Ctx } from './lib/transfers';
import { bundleWorkers, WORKERS } from './lib/workers';
import { createWorkspace } from './lib/workspace';
import { hugeFile, largeFile } from './scenarios/large-file';
import { shapedLink } from './scenarios/shaped-link';
import { manyFiles, smallFiles } from './scenarios/small-files';
import { tlsVsPlain } from './scenarios/tls-vs-plain';

const say = (line: string) => process.stderr.write(line + '\n');

async function main() {
  const plan = makePlan(process.argv.slice(2));
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  say(`Ferry bench (${plan.quick ? 'quick' : 'full'}, ${plan.runs} run(s) each) on ${machineLine(machine)}`);

  let noNetns = plan.netns ? netnsUnavailable() : 'disabled with --no-netns';

  const ws = await createWorkspace(diskNeeded(plan));
  // On 'exit' too: another module's signal handler (the netns lab's) may be the one that exits.
  process.once('exit', () => ws.removeSync());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
  const rec = new Recorder(say);
  let linkRate: number | null = null;
  let ferryUnavailable: string | undefined;
  try {
    const bundleDir = await bundleWorkers(ws.path('workers'), WORKERS.filter((w) => !w.startsWith('ferry-')));
    await bundleWorkers(bundleDir, ['ferry-send', 'ferry-recv']).catch((err: Error) => {
      ferryUnavailable = `Ferry workers did not build: ${err.message.split('\n').slice(0, 3).join(' ')}`;
      say(ferryUnavailable);
    });
    const ferry = !ferryUnavailable;
    const profileDir = plan.profileDir ? resolve(plan.profileDir) : undefined;
    if (profileDir) {
      await mkdir(profileDir, { recursive: true });
      // Kept beside the profiles so bench/profile-summary.ts can name the source module of a line.
      await bundleWorkers(join(profileDir, 'workers'), ['ferry-send', 'ferry-recv']);
    }
    const ctx: Ctx = {
      bundleDir,
      scratch: ws.path('scratch'),
      placement: LOOPBACK,
      ferryNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined,
    };
    await mkdir(ctx.scratch);

    say('generating source data...');
    const src = await prepareSources(ws, plan);
    if (plan.parts.has('tls')) {
      say('TLS vs plain ws:');
      await tlsVsPlain(ctx, plan, rec, src.large);
    }
    if (plan.parts.has('large')) {
      say('one large file:');
      await largeFile(ctx, plan, rec, src.large, ferry);
    }
    if (plan.parts.has('small')) {
      say('small files:');
      const create = await waitForNormalCreateCost(ctx.scratch, say, plan.quick ? 0 : undefined); // a smoke run only reports it
      machine.createMicros = create.micros;
      machine.createWaitSeconds = create.waitedSeconds;
      await smallFiles(ctx, plan, rec, src.trees, ferry);
    }
    if (ferry && plan.parts.has('huge')) {
      say('huge file (peak RSS against size):');
      await hugeFile(ctx, rec, await src.huge());
      await src.dropHuge();
    }
    if (ferry && plan.parts.has('many')) {
      say(`one batch of ${plan.manyFileCount} files (peak RSS against count)...`);
      await manyFiles(ctx, rec, await src.many());
    }
    if (!plan.parts.has('shaped')) noNetns ??= 'not selected with --only';
    if (noNetns) say(`shaped link skipped: ${noNetns}`);
    else {
      say('shaped 1 Gbit/s link between namespaces:');
      linkRate = await shapedLink(ctx, plan, rec, src.large, ferry).catch((err: Error) => {
        rec.errors.push({ scenario: 'shaped link setup', tool: 'tcp-pipe', message: err.message });
        say(`shaped link failed: ${err.message}`);
        return null;
      });
    }
  } finally {
    await ws.remove();
  }

  machine.loadEnd = loadavg()[0];
  const rows = summarize(rec.results);
  const targets = evaluateTargets(plan, rows, linkRate, noNetns ?? ferryUnavailable);
  const out = [
    '',
    machineLine(machine),
    '',
    resultsTable(rows),
    '',
    targetsTable(targets),
    ...(rec.errors.length ? ['', 'Errors (full text in the JSON):', ...errorLines(rec.errors)] : []),
    ...(ferryUnavailable ? ['', ferryUnavailable] : []),
  ].join('\n');
  console.log(out);

  const resultsDir = join(__dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  const json = { startedAt, finishedAt: new Date().toISOString(), plan, machine, linkRateBits: linkRate, rows, targets, errors: rec.errors, runs: rec.results };
  await writeFile(join(resultsDir, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
  say(`\nwrote ${join(resultsDir, 'latest.json')}`);
}

/** One line per distinct failure: the worker's own error line if it has one, with a count. */
function errorLines(errors: RunError[]): string[] {
  const counts = new Map<string, number>();
  for (const e of errors) {
    const lines = e.message.split('\n');
    const line = (lines.find((l) => /^\w*Error: /.test(l)) ?? lines[0]).slice(0, 240);
    const key = `${e.scenario} / ${e.tool}: ${line}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `  ${k}${n > 1 ? ` (x${n})` : ''}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
