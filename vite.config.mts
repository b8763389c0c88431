// Renderer build: plain static files under dist/renderer, loaded from file:// in Electron and
// over http by the e2e bridge. Relative base, no inline scripts (strict CSP), no dev-only code.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: resolve(here, 'src/renderer'),
  base: './',
  publicDir: false,
  // No @vitejs/plugin-react: oxc transpiles TSX with the automatic runtime itself.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // The polyfill would be an inline script; Chromium/Electron supports modulepreload natively.
    modulePreload: { polyfill: false },
    // Keep every asset a file so nothing needs data: or inline styles.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
