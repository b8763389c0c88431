#!/usr/bin/env node
// npm run build: esbuild bundles the Electron main process, the preload (sandboxed preloads
// cannot require local files, so it must be one file) and the CLI; vite builds the renderer.
// Usage: node scripts/build.mjs [main] [preload] [cli] [renderer]   (default: all)
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // ws's optional native speed-ups (it works without them), and the BLAKE3 binding, whose loader
  // picks a prebuilt .node package for the platform at run time. The bench workers and the shell
  // test bundle with the same list.
  external: JSON.parse(await readFile(at('scripts/bundle-externals.json'), 'utf8')),
};

const TARGETS = {
  async main() {
    await rm(at('dist/main'), { recursive: true, force: true });
    await build({ ...node, entryPoints: [at('src/main/index.ts')], outfile: at('dist/main/index.js'), external: [...node.external, 'electron'] });
    // Window and tray icons, looked up next to dist/main at run time.
    await mkdir(at('dist/assets'), { recursive: true });
    for (const f of ['icon.png', 'tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) {
      if (existsSync(at('assets', f))) await copyFile(at('assets', f), at('dist/assets', f));
    }
  },
  async preload() {
    await rm(at('dist/preload'), { recursive: true, force: true });
    await build({ ...node, entryPoints: [at('src/preload/index.ts')], outfile: at('dist/preload/index.js'), external: ['electron'], target: 'chrome120' });
  },
  async cli() {
    const entry = at('src/cli/index.ts');
    if (!existsSync(entry)) return console.log('build: src/cli/index.ts not there yet, CLI skipped');
    await rm(at('dist/cli'), { recursive: true, force: true });
    const hasShebang = (await readFile(entry, 'utf8')).startsWith('#!');
    const out = at('dist/cli/index.js');
    await build({ ...node, entryPoints: [entry], outfile: out, ...(hasShebang ? {} : { banner: { js: '#!/usr/bin/env node' } }) });
    await chmod(out, 0o755);
  },
  async renderer() {
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: at('vite.config.mts'), logLevel: 'warn' });
  },
};

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((t) => !(t in TARGETS));
  if (unknown.length) throw new Error(`unknown build target(s): ${unknown.join(', ')}; known: ${Object.keys(TARGETS).join(', ')}`);
  const names = asked.length ? asked : Object.keys(TARGETS);
  const started = Date.now();
  // esbuild targets are quick and independent; vite runs after them.
  await Promise.all(names.filter((n) => n !== 'renderer').map((n) => TARGETS[n]()));
  if (names.includes('renderer')) await TARGETS.renderer();
  console.log(`build: ${names.join(', ')} done in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(`build failed: ${err.message ?? err}`);
  process.exit(1);
});
