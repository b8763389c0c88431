// Real engines on loopback with an AppService each, for the app-level tests.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiCallName, ApiCalls, ApiEventName, ApiEvents } from '../../src/shared/api';
import type { AcceptPolicy } from '../../src/shared/types';
import { AppService } from '../../src/main/engine/app/app-service';
import { defaultSettings } from '../../src/main/engine/app/settings';
import { createEngine } from '../../src/main/engine/engine';
import type { EngineApi } from '../../src/main/engine/engine-api';
import { TestPlatform } from '../../e2e/bridge/test-platform';

export { until } from '../support/until';

export interface Node {
  dir: string;
  stateDir: string;
  downloadDir: string;
  engine: EngineApi;
  service: AppService;
  platform: TestPlatform;
  events: { name: ApiEventName; payload: unknown }[];
  /** Calls through the service and throws on an error Result (for the happy path). */
  ok<C extends ApiCallName>(name: C, ...args: ApiCalls[C][0]): Promise<ApiCalls[C][1]>;
  close(): Promise<void>;
}

export async function startNode(name: string, acceptPolicy: AcceptPolicy = 'ask'): Promise<Node> {
  const dir = await mkdtemp(join(tmpdir(), `ferry-app-${name}-`));
  const stateDir = join(dir, 'state');
  const downloadDir = join(dir, 'downloads');
  await mkdir(stateDir, { recursive: true });
  const settings = { ...defaultSettings(), deviceName: name, downloadDir, acceptPolicy };
  const engine = await createEngine({ stateDir, downloadDir, name, port: 0, host: '127.0.0.1', acceptPolicy, discovery: false });
  await engine.start();
  const platform = new TestPlatform();
  const service = new AppService({ engine, platform, stateDir, settings, progressIntervalMs: 100 });
  const events: Node['events'] = [];
  service.onEvent((n, payload) => events.push({ name: n, payload }));
  return {
    dir,
    stateDir,
    downloadDir,
    engine,
    service,
    platform,
    events,
    async ok(n, ...args) {
      const r = await service.call(n, args);
      if (!r.ok) throw new Error(`${n} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    async close() {
      await service.close();
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function eventsOf<E extends ApiEventName>(node: Node, name: E): ApiEvents[E][] {
  return node.events.filter((e) => e.name === name).map((e) => e.payload as ApiEvents[E]);
}
