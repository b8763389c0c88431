// Builds the engine the way every command wants it: state dir, discovery limited to the
// interfaces in FERRY_DISCOVERY_INTERFACES, logs only when FERRY_LOG asks for them.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AcceptPolicy } from '../shared/types';
import type { EngineOptions } from '../main/engine/engine-api';
import { createEngine, type Engine } from '../main/engine/engine';
import { loggerFromEnv } from '../main/engine/log';
import { defaultStateDir } from '../main/engine/store/state-dir';

export function stateDirFrom(flag: string | undefined): string {
  return flag || defaultStateDir();
}

export function deviceName(flag: string | undefined): string {
  return (flag || hostname() || 'Ferry device').slice(0, 64);
}

/** 'listen' looks for peers without announcing: a lookup must not stand in for this device's receiver. */
export type DiscoveryMode = boolean | 'listen';

export function discoveryOption(mode: DiscoveryMode, env: NodeJS.ProcessEnv = process.env): EngineOptions['discovery'] {
  if (!mode) return false;
  const interfaces = (env.FERRY_DISCOVERY_INTERFACES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { ...(interfaces.length ? { interfaces } : {}), listenOnly: mode === 'listen' };
}

export interface SetupOptions {
  stateDir: string;
  name: string;
  /** Where received files go; helper engines (send, peers) get a folder in the state dir. */
  downloadDir?: string;
  port?: number;
  acceptPolicy?: AcceptPolicy;
  discovery: DiscoveryMode;
  /** How long an outgoing transfer keeps reconnecting after a drop (engine default when absent). */
  reconnectWindowMs?: number;
}

/** A started engine. Helper engines (no downloadDir) decline any offer that reaches them. */
export async function startEngine(o: SetupOptions): Promise<Engine> {
  const engine = await createEngine({
    stateDir: o.stateDir,
    downloadDir: o.downloadDir ?? join(o.stateDir, 'downloads'),
    name: o.name,
    port: o.port ?? 0,
    acceptPolicy: o.acceptPolicy ?? 'ask',
    discovery: discoveryOption(o.discovery),
    reconnectWindowMs: o.reconnectWindowMs,
    logger: loggerFromEnv(),
  });
  if (!o.downloadDir) {
    engine.on('offerReceived', (offer) => {
      try {
        engine.respond(offer.transferId, { accept: false });
      } catch {
        // already answered or withdrawn
      }
    });
  }
  await engine.start();
  return engine;
}

/** Resolves on SIGINT or SIGTERM (and stops listening for them). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
