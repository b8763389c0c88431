// Packaging inputs that can be checked offline: the electron-builder config against its
// schema, the icons it names, and the preload bundle being one self-contained file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  assert.equal(b.subarray(1, 4).toString('ascii'), 'PNG', `${file} is a PNG`);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

test('electron-builder.yml passes electron-builder schema validation', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DebugLogger } = require('builder-util');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml');
  const cfg = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  await validateConfiguration(cfg, new DebugLogger(false));
  assert.equal(cfg.appId, 'app.ferry.desktop');
  assert.deepEqual(cfg.linux.target, ['AppImage', 'deb']);
  for (const icon of [cfg.linux.icon, cfg.win.icon, cfg.mac.icon]) assert.ok(existsSync(join(root, icon)), `${icon} exists`);
  await assert.rejects(validateConfiguration({ ...cfg, bogus: 1 }, new DebugLogger(false)), /unknown property 'bogus'/);
});

test('icons have the sizes installers and the tray need', () => {
  assert.deepEqual(pngSize(join(root, 'assets/icon.png')), [512, 512]);
  assert.deepEqual(pngSize(join(root, 'assets/icon-1024.png')), [1024, 1024]);
  assert.deepEqual(pngSize(join(root, 'assets/tray.png')), [16, 16]);
  assert.deepEqual(pngSize(join(root, 'assets/tray@2x.png')), [32, 32]);
  assert.deepEqual(pngSize(join(root, 'assets/trayTemplate.png')), [16, 16]);
  assert.deepEqual(pngSize(join(root, 'assets/trayTemplate@2x.png')), [32, 32]);
  const ico = readFileSync(join(root, 'assets/icon.ico'));
  assert.equal(ico.readUInt16LE(2), 1, 'ICO type');
  const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
  assert.ok(sizes.includes(16) && sizes.includes(256), `ico sizes ${sizes}`);
  const icns = readFileSync(join(root, 'assets/icon.icns'));
  assert.equal(icns.subarray(0, 4).toString('ascii'), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length, 'icns length header');
});

test('the preload bundles into one file that requires nothing but electron', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-preload-'));
  try {
    const out = join(dir, 'preload.js');
    await build({ entryPoints: [join(root, 'src/preload/index.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'silent' });
    const code = readFileSync(out, 'utf8');
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(requires)], ['electron']);
    assert.match(code, /exposeInMainWorld\("ferry"/);
    assert.match(code, /ferry:call:/);
    assert.match(code, /"ferry:grant-path"/);
    assert.match(code, /ipcRenderer\.sendSync\(/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
