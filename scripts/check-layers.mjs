#!/usr/bin/env node
// Fails when a layer imports upward or reaches for what its runtime does not have.
// Layers (top to bottom): renderer | preload | shell (src/main minus engine) | cli -> engine -> shared.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_BUILTINS = new Set(builtinModules);

// layer -> which other layers it may import, and whether Node / electron are allowed.
const RULES = {
  shared: { may: ['shared'], node: false, electron: false },
  engine: { may: ['shared', 'engine'], node: true, electron: false },
  shell: { may: ['shared', 'engine', 'shell'], node: true, electron: true },
  preload: { may: ['shared', 'preload'], node: false, electron: true },
  renderer: { may: ['shared', 'renderer'], node: false, electron: false },
  cli: { may: ['shared', 'engine', 'cli'], node: true, electron: false },
};

function layerOf(file) {
  const rel = relative(join(root, 'src'), file).split(sep);
  if (rel[0] === 'main') return rel[1] === 'engine' ? 'engine' : 'shell';
  return RULES[rel[0]] ? rel[0] : null;
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx|mts|cts)$/.test(name)) yield p;
  }
}

const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

export function checkFile(file, source) {
  const layer = layerOf(file);
  if (!layer) return [];
  const rule = RULES[layer];
  const problems = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    const where = `${relative(root, file)}: ${layer} imports '${spec}'`;
    if (spec.startsWith('.')) {
      const target = layerOf(resolve(dirname(file), spec));
      if (target && !rule.may.includes(target)) problems.push(`${where} (${target} is not below ${layer})`);
    } else if (spec === 'electron' || spec.startsWith('electron/')) {
      if (!rule.electron) problems.push(`${where} (electron is only for the shell and preload)`);
    } else if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0])) {
      if (!rule.node) problems.push(`${where} (Node built-ins are not available here)`);
    }
  }
  return problems;
}

function main() {
  const problems = [];
  for (const file of walk(join(root, 'src'))) problems.push(...checkFile(file, readFileSync(file, 'utf8')));
  if (problems.length) {
    console.error(`Layer check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('layers ok');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
