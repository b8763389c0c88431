#!/usr/bin/env node
// Runs node's test runner over *.test.ts files under the given folders (default: test/ without test/faults).
// Node 20 has no glob for --test, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function* walk(dir, skip) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (skip.has(p)) continue;
    if (statSync(p).isDirectory()) yield* walk(p, skip);
    else if (name.endsWith('.test.ts')) yield p;
  }
}

// The long fault suites have their own command (npm run test:faults); CI runs both.
const DEFAULT_SKIP = new Set([join('test', 'faults')]);

const dirs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = (dirs.length ? dirs : ['test']).flatMap((d) => (d.endsWith('.ts') ? [d] : [...walk(d, dirs.length ? new Set() : DEFAULT_SKIP)]));
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...flags, ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
