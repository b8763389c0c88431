#!/usr/bin/env node
// Runs node's test runner over *.test.ts files under the given folders (default: test/).
// Node 20 has no glob for --test, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name.endsWith('.test.ts')) yield p;
  }
}

const dirs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = (dirs.length ? dirs : ['test']).flatMap((d) => (d.endsWith('.ts') ? [d] : [...walk(d)]));
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
