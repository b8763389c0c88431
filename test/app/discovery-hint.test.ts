// The UI's discovery hint is discovery's own: the engine passes it on, the AppService forwards it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiscoveryHint } from '../../src/shared/api';
import { AppService } from '../../src/main/engine/app/app-service';
import { defaultSettings } from '../../src/main/engine/app/settings';
import { createEngine } from '../../src/main/engine/engine';
import { TestPlatform } from '../../e2e/bridge/test-platform';
import { freeUdpPort, loopbackMulticast } from '../discovery/helpers';

test('a lone engine raises the discovery hint through the AppService, naming its port and interface', { timeout: 20_000 }, async (t) => {
  const why = await loopbackMulticast();
  if (why) return t.skip(`loopback multicast unavailable: ${why}`);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-hint-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freeUdpPort();
  const downloadDir = join(dir, 'downloads');
  const engine = await createEngine({
    stateDir: join(dir, 'state'),
    downloadDir,
    name: 'alone',
    port: 0,
    host: '127.0.0.1',
    discovery: { port, interfaces: ['lo'], hintAfterMs: 300 },
  });
  await engine.start();
  t.after(() => engine.close());
  const service = new AppService({ engine, platform: new TestPlatform(), stateDir: join(dir, 'state'), settings: { ...defaultSettings(), downloadDir } });
  t.after(() => service.close());
  const hint = await new Promise<DiscoveryHint | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no discoveryHint event within 10 s')), 10_000);
    service.onEvent((name, payload) => {
      if (name !== 'discoveryHint') return;
      clearTimeout(timer);
      resolve(payload as DiscoveryHint | null);
    });
  });
  assert.deepEqual(hint, { port, interfaces: ['lo'] });
  const snap = await service.call('getSnapshot', []);
  assert.ok(snap.ok);
  assert.deepEqual(snap.value.discoveryHint, { port, interfaces: ['lo'] });
});
