// Shared test scaffolding: engines on loopback with temp state and download folders, waiting for
// transfer states, and file digests. Real sockets, real TLS, real files.
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import type { EngineOptions } from '../../src/main/engine/engine-api';
import { type DeviceIdentity, loadOrCreateIdentity } from '../../src/main/engine/identity/identity';
import { loggerFromEnv, silentLogger } from '../../src/main/engine/log';
import { allocFrame, payloadStart, writeHeader } from '../../src/main/engine/protocol/frame';
import type { Msg } from '../../src/main/engine/protocol/messages';
import type { Connection } from '../../src/main/engine/transport/connection';
import { dial } from '../../src/main/engine/transport/tls-client';
import { FerryServer } from '../../src/main/engine/transport/tls-server';
import { FINAL_STATES, type TransferProgress, type TransferSnapshot } from '../../src/shared/types';

export interface TestEngine {
  engine: Engine;
  stateDir: string;
  downloadDir: string;
  opts: EngineOptions;
}

export async function tempDir(prefix = 'ferry-test-'): Promise<string> {
  return fs.mkdtemp(join(tmpdir(), prefix));
}

export async function startEngine(name: string, opts: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const stateDir = opts.stateDir ?? (await tempDir(`ferry-${name}-state-`));
  const downloadDir = opts.downloadDir ?? join(stateDir, 'downloads');
  const full: EngineOptions = {
    stateDir,
    downloadDir,
    name,
    host: '127.0.0.1',
    port: 0,
    acceptPolicy: 'all',
    discovery: false,
    logger: loggerFromEnv(),
    ...opts,
  };
  const engine = await createEngine(full);
  await engine.start();
  return { engine, stateDir, downloadDir, opts: full };
}

/** Resolves with the first snapshot of transfer `id` (or any transfer, when id is omitted) that passes `ok`. */
export function waitTransfer(
  engine: Engine,
  ok: (t: TransferSnapshot) => boolean,
  timeoutMs = 30_000,
): Promise<TransferSnapshot> {
  return new Promise((resolve, reject) => {
    const now = engine.transfers().find(ok);
    if (now) return resolve(now);
    const timer = setTimeout(() => {
      engine.off('transferUpserted', on);
      reject(new Error(`timed out; transfers: ${JSON.stringify(engine.transfers().map((t) => [t.direction, t.state, t.error?.code, t.bytesDone]))}`));
    }, timeoutMs);
    const on = (t: TransferSnapshot) => {
      if (!ok(t)) return;
      clearTimeout(timer);
      engine.off('transferUpserted', on);
      resolve(t);
    };
    engine.on('transferUpserted', on);
  });
}

/** Resolves once an incoming or outgoing transfer of `engine` has moved at least `min` bytes. */
export function waitBytes(engine: Engine, min: number, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      engine.off('transferProgress', on);
      reject(new Error('timed out waiting for progress'));
    }, timeoutMs);
    const on = (p: TransferProgress) => {
      if (p.bytesDone < min) return;
      clearTimeout(timer);
      engine.off('transferProgress', on);
      resolve(p.id);
    };
    engine.on('transferProgress', on);
  });
}

export const isFinal = (dir: 'in' | 'out', id?: string) => (t: TransferSnapshot) =>
  t.direction === dir && (!id || t.id === id) && FINAL_STATES.includes(t.state);

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Sends `paths` from a to b by address and waits until both sides are final. */
export async function sendAndWait(a: TestEngine, b: TestEngine, paths: string[], timeoutMs = 60_000) {
  const sent = await a.engine.send({ to: { host: '127.0.0.1', port: b.engine.identity.port, fingerprint: b.engine.identity.fingerprint }, paths });
  const [out, inc] = await Promise.all([
    waitTransfer(a.engine, isFinal('out', sent.id), timeoutMs),
    waitTransfer(b.engine, isFinal('in', sent.id), timeoutMs),
  ]);
  return { out, inc };
}

export async function writeRandom(path: string, size: number): Promise<void> {
  const fh = await fs.open(path, 'w');
  try {
    const block = 1024 * 1024;
    for (let pos = 0; pos < size; pos += block) {
      const buf = randomFillSync(Buffer.allocUnsafe(Math.min(block, size - pos)));
      await fh.write(buf, 0, buf.length, pos);
    }
  } finally {
    await fh.close();
  }
}

export async function cleanup(...engines: TestEngine[]): Promise<void> {
  for (const e of engines) await e.engine.close().catch(() => undefined);
  for (const e of engines) await fs.rm(e.stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** Runs `fn` with engines alice (a) and bob (b) and a source folder, all cleaned up afterwards. */
export async function withPair(
  fn: (p: { a: TestEngine; b: TestEngine; src: string }) => Promise<void>,
  opts: { a?: Partial<EngineOptions>; b?: Partial<EngineOptions> } = {},
): Promise<void> {
  const a = await startEngine('alice', opts.a);
  const b = await startEngine('bob', opts.b);
  const src = await tempDir('ferry-src-');
  try {
    await fn({ a, b, src });
  } finally {
    await cleanup(a, b);
    await fs.rm(src, { recursive: true, force: true });
  }
}

/** A bare Ferry server whose receiving side the test writes by hand, to drive a real sender. */
export function rawServer(id: DeviceIdentity, onConnection: (conn: Connection) => void): FerryServer {
  return new FerryServer({
    keyPem: id.keyPem,
    certPem: id.certPem,
    logger: silentLogger,
    localInfo: () => ({ name: 'raw', deviceType: 'desktop', port: 0 }),
    onConnection,
  });
}

/** A hand-written sender (mallory) connected to b: the test speaks the protocol itself. */
export async function rawClient(b: TestEngine, dir: string) {
  const id = await loadOrCreateIdentity(dir);
  const d = await dial({
    host: '127.0.0.1',
    port: b.engine.identity.port,
    keyPem: id.keyPem,
    certPem: id.certPem,
    expectFingerprint: b.engine.identity.fingerprint,
    local: { name: 'mallory', deviceType: 'laptop', port: 0 },
    logger: silentLogger,
  });
  const inbox: Msg[] = [];
  const waiters: (() => void)[] = [];
  d.conn.on('message', (m) => {
    inbox.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<void>((r) => d.conn.on('closed', () => r()));
  async function next(t: Msg['t']): Promise<Msg> {
    for (;;) {
      const i = inbox.findIndex((m) => m.t === t);
      if (i >= 0) return inbox.splice(i, 1)[0];
      await new Promise<void>((r) => waiters.push(r));
    }
  }
  return { conn: d.conn as Connection, next, closed, inbox };
}

/** One DATA frame. */
export function dataFrame(handle: number, f: number, offset: number, payload: Buffer, digest: Buffer | null): Buffer {
  const buf = allocFrame(payload.length, !!digest);
  payload.copy(buf, payloadStart(!!digest));
  writeHeader(buf, handle, f, offset, digest);
  return buf;
}
