// The e2e bridge: a real Engine and AppService behind the built renderer, reachable from a
// browser over HTTP + WebSocket. The only stand-in is the Electron IPC hop (and the native
// pickers, answered from TestPlatform's queues). See README.md.
import { join } from 'node:path';
import type { FerryApi } from '../../src/shared/api';
import type { AcceptPolicy, Settings } from '../../src/shared/types';
import type { DiscoveryOptions, EngineApi } from '../../src/main/engine/engine-api';
import { AppService } from '../../src/main/engine/app/app-service';
import { createEngine } from '../../src/main/engine/engine';
import { defaultSettings, loadSettings } from '../../src/main/engine/app/settings';
import type { Logger } from '../../src/main/engine/log';
import { serveBridge } from './server';
import { TestPlatform } from './test-platform';

export { TestPlatform } from './test-platform';

declare global {
  interface Window {
    /** What the shim (or, in Electron, the preload) exposes. */
    ferry: FerryApi;
    /** Dropped file name -> absolute path: the shim's stand-in for webUtils.getPathForFile. */
    __ferryTestPaths?: Record<string, string>;
  }
}
export { CSP, SHIM_NAME } from './server';

export interface BridgeOptions {
  name: string;
  stateDir: string;
  downloadDir: string;
  /** Engine TCP port; default 0 (a free one). */
  port?: number;
  /** Engine bind address; default 127.0.0.1 so tests never listen beyond the machine. */
  host?: string;
  acceptPolicy?: AcceptPolicy;
  /** Default off. Use { interfaces: ['lo'] } for multicast that stays on this machine. */
  discovery?: boolean | DiscoveryOptions;
  /** Built renderer to serve; default dist/renderer. */
  rendererDir?: string;
  /** Other settings to start with (theme, language...). name/downloadDir/acceptPolicy above win. */
  settings?: Partial<Settings>;
  logger?: Logger;
}

export interface Bridge {
  /** Open this in the browser: the app with window.ferry wired to this bridge. */
  url: string;
  engine: EngineApi;
  service: AppService;
  platform: TestPlatform;
  /** 'host:port' other engines can addPeer() with. */
  address: string;
  close(): Promise<void>;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const stored = await loadSettings(opts.stateDir, { ...defaultSettings(), ...opts.settings });
  const settings: Settings = {
    ...stored,
    ...opts.settings,
    deviceName: opts.name,
    downloadDir: opts.downloadDir,
    ...(opts.acceptPolicy ? { acceptPolicy: opts.acceptPolicy } : {}),
  };
  const host = opts.host ?? '127.0.0.1';
  const engine = await createEngine({
    stateDir: opts.stateDir,
    downloadDir: settings.downloadDir,
    name: settings.deviceName,
    deviceType: settings.deviceType,
    port: opts.port ?? 0,
    host,
    acceptPolicy: settings.acceptPolicy,
    discovery: opts.discovery ?? false,
    logger: opts.logger,
  });
  await engine.start();
  const platform = new TestPlatform();
  const service = new AppService({
    engine,
    platform,
    stateDir: opts.stateDir,
    settings,
    logger: opts.logger,
  });
  let server;
  try {
    server = await serveBridge(service, opts.rendererDir ?? join(__dirname, '..', '..', 'dist', 'renderer'));
  } catch (err) {
    await service.close();
    await engine.close();
    throw err;
  }
  return {
    url: server.url,
    engine,
    service,
    platform,
    address: `${host}:${engine.identity.port}`,
    async close() {
      await server.close();
      await service.close();
      await engine.close();
    },
  };
}

/** Makes `a` know `b` by address (no multicast needed); returns b as a's peer. */
export async function linkBridges(a: Bridge, b: Bridge) {
  const r = await a.service.call('addPeer', [b.address]);
  if (!r.ok) throw new Error(`addPeer ${b.address} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
