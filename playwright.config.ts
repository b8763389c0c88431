// End-to-end: the built renderer in Debian's Chromium, talking to real engines through the
// e2e bridge (e2e/bridge). `npm run test:e2e` builds first. Never `npx playwright install`.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e/specs',
  // Two real engines per test plus Chromium on a 2-core machine: one at a time, generous limits.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1180, height: 760 },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
