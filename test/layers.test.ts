import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without types
import { checkFile } from '../scripts/check-layers.mjs';

const src = join(__dirname, '..', 'src');
const at = (p: string) => join(src, p);

test('layer check flags electron below the shell', () => {
  assert.equal(checkFile(at('main/engine/x.ts'), `import { app } from 'electron';`).length, 1);
  assert.equal(checkFile(at('shared/x.ts'), `const e = require('electron');`).length, 1);
  assert.equal(checkFile(at('cli/x.ts'), `import 'electron';`).length, 1);
  assert.equal(checkFile(at('main/window.ts'), `import { app } from 'electron';`).length, 0);
});

test('layer check flags Node and engine in renderer and shared', () => {
  assert.equal(checkFile(at('renderer/x.tsx'), `import fs from 'node:fs';`).length, 1);
  assert.equal(checkFile(at('renderer/x.tsx'), `import { readFile } from 'fs';`).length, 1);
  assert.equal(checkFile(at('renderer/x.tsx'), `import { Engine } from '../main/engine/engine';`).length, 1);
  assert.equal(checkFile(at('shared/x.ts'), `import { join } from 'path';`).length, 1);
  assert.equal(checkFile(at('renderer/x.tsx'), `import type { Peer } from '../shared/types';`).length, 0);
});

test('layer check flags upward imports from engine and cli', () => {
  assert.equal(checkFile(at('main/engine/x.ts'), `import { w } from '../window';`).length, 1);
  assert.equal(checkFile(at('cli/x.ts'), `import { w } from '../main/ipc';`).length, 1);
  assert.equal(checkFile(at('cli/x.ts'), `import { Engine } from '../main/engine/engine';`).length, 0);
});
