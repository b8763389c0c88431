#!/usr/bin/env node
// npm start (after the build): runs Electron on the built app in this folder.
// The electron package downloads its binary on first use; where that cannot happen
// (offline, blocked) this says so plainly instead of dumping a stack.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function fail(msg) {
  console.error(`ferry: ${msg}`);
  process.exit(1);
}

if (!existsSync(join(root, 'dist/main/index.js'))) fail('dist/main/index.js is missing; run `npm run build` first.');

let electron;
try {
  electron = require('electron'); // the binary's path; downloads it when missing
} catch (err) {
  fail(
    `the Electron binary is not installed and could not be downloaded (${err.message.split('\n')[0]}).\n` +
      '  Check the network (or ELECTRON_MIRROR), then run `npx install-electron` or reinstall node_modules/electron.',
  );
}
if (!existsSync(electron)) fail(`the Electron binary was expected at ${electron} but is not there.`);

const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('error', (err) => fail(`could not run Electron (${electron}): ${err.message}`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
