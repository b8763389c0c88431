// The measured transfers, one function per tool: each prepares a fresh destination, runs the pair,
// verifies and removes the destination again.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runPair } from './pair';
import type { WorkerName } from './workers';
import type { RunResult, Tool } from './types';
import { checkFile, checkTree } from './verify';

/** Where the two sides run: loopback in this namespace, or the two ends of a shaped link. */
export interface Placement {
  sender: { netns?: string; address: string };
  receiver: { netns?: string; address: string };
}

export const LOOPBACK: Placement = { sender: { address: '127.0.0.1' }, receiver: { address: '127.0.0.1' } };

export interface Ctx {
  bundleDir: string;
  /** Scratch folder for destinations and engine state. */
  scratch: string;
  placement: Placement;
  /** Extra node flags for the Ferry workers (e.g. --cpu-prof). */
  ferryNodeArgs?: string[];
}

export interface SourceFile {
  path: string;
  size: number;
  sha256: string;
}

export interface SourceTree {
  dir: string;
  files: number;
  bytes: number;
}

let runCounter = 0;
async function freshDir(ctx: Ctx, label: string): Promise<string> {
  const dir = join(ctx.scratch, `${label}-${++runCounter}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Big files are removed after each run to save disk. Trees of small files stay until the
 * workspace goes: on ext4 without a journal, creating files right after deleting thousands is
 * many times slower (new inodes skip recently deleted ones), which would punish whichever tool
 * runs next.
 */
async function withDestination<T>(ctx: Ctx, label: string, fn: (dst: string) => Promise<T>, keep = false): Promise<T> {
  const dst = await freshDir(ctx, label);
  try {
    return await fn(dst);
  } finally {
    if (!keep) await rm(dst, { recursive: true, force: true });
  }
}

const where = (ctx: Ctx) => ({ host: ctx.placement.receiver.address });

/** fs.createReadStream(file).pipe(net.connect()) -> socket.pipe(fs.createWriteStream()). */
export function tcpPipeFile(ctx: Ctx, scenario: string, src: SourceFile): Promise<RunResult> {
  return withDestination(ctx, 'tcp', (dst) => {
    const out = join(dst, 'out.bin');
    return runPair(ctx.bundleDir, {
      scenario,
      tool: 'tcp-pipe',
      bytes: src.size,
      files: 1,
      receiver: { worker: 'tcp-recv', cfg: { ...where(ctx), out }, netns: ctx.placement.receiver.netns },
      sender: { worker: 'tcp-send', cfg: (r) => ({ ...where(ctx), port: r.port, file: src.path }), netns: ctx.placement.sender.netns },
      verify: () => checkFile(out, src.sha256, src.size),
    });
  });
}

/** A tree through a pair of baseline workers into a fresh destination, kept (see withDestination), verified file by file. */
function baselineTree(ctx: Ctx, scenario: string, src: SourceTree, tool: Tool, workers: [WorkerName, WorkerName], recvCfg: object = {}): Promise<RunResult> {
  const [send, recv] = workers;
  return withDestination(ctx, tool, (dst) =>
    runPair(ctx.bundleDir, {
      scenario,
      tool,
      bytes: src.bytes,
      files: src.files,
      receiver: { worker: recv, cfg: { ...where(ctx), dst, ...recvCfg }, netns: ctx.placement.receiver.netns },
      sender: { worker: send, cfg: (r) => ({ ...where(ctx), port: r.port, src: src.dir }), netns: ctx.placement.sender.netns },
      verify: () => checkTree(src.dir, dst),
    }),
    true,
  );
}

/**
 * tar -cf - -C src . | TCP | tar -xf - -C dst; or, as 'tar-save', into Node saving each file the
 * way Ferry saves a small file (workers/save-recv.ts): the save rule's own cost.
 */
export function tarPipeTree(ctx: Ctx, scenario: string, src: SourceTree, tool: 'tar-pipe' | 'tar-save' = 'tar-pipe'): Promise<RunResult> {
  return baselineTree(ctx, scenario, src, tool, ['tar-send', tool === 'tar-pipe' ? 'tar-recv' : 'save-recv']);
}

/**
 * pack-send -> ws over TLS -> pack-recv (workers/pack-recv.ts): files packed into messages, BLAKE3
 * per file, Ferry's save calls; with `thread`, saving on a worker thread. The small-file stack reference.
 */
export function wsPackTree(ctx: Ctx, scenario: string, src: SourceTree, tls: { cert: string; key: string }, thread = false): Promise<RunResult> {
  return baselineTree(ctx, scenario, src, thread ? 'ws-tls-save-thread' : 'ws-tls-save', ['pack-send', 'pack-recv'], { ...tls, thread });
}

/**
 * How the ws microbench protects its bytes: TLS (certificate files; with `hash`, BLAKE3 of every
 * byte on both sides too), nothing, or AES-128-GCM per message over plain ws.
 */
export type WsMode = { cert: string; key: string; hash?: boolean } | 'plain' | 'aead';

/** A raw `ws` connection over https or http, 1 MiB binary messages, file to file. */
export function wsFile(ctx: Ctx, scenario: string, src: SourceFile, mode: WsMode): Promise<RunResult> {
  const tls = typeof mode === 'object' ? mode : null;
  const aead = mode === 'aead' ? randomBytes(16).toString('hex') : undefined;
  const hash = !!tls?.hash;
  const tool: Tool = tls ? (hash ? 'ws-tls-hash' : 'ws-tls') : aead ? 'ws-aead' : 'ws-plain';
  return withDestination(ctx, tool, (dst) => {
    const out = join(dst, 'out.bin');
    return runPair(ctx.bundleDir, {
      scenario,
      tool,
      bytes: src.size,
      files: 1,
      receiver: { worker: 'ws-recv', cfg: { ...where(ctx), out, tls: tls ? { cert: tls.cert, key: tls.key } : undefined, aead, hash }, netns: ctx.placement.receiver.netns },
      sender: {
        worker: 'ws-send',
        cfg: (r) => ({ ...where(ctx), port: r.port, file: src.path, tls: !!tls, aead, hash, chunkBytes: 1024 * 1024 }),
        netns: ctx.placement.sender.netns,
      },
      verify: () => checkFile(out, src.sha256, src.size),
    });
  });
}

/**
 * Ferry, engine to engine, each in its own process; the receiver accepts everything. Each run gets
 * fresh state folders: with shared ones a run that failed half-way would be resumed by the next
 * (same files, same resume key) and measured as a partial transfer into the old folder.
 */
function ferry(ctx: Ctx, scenario: string, paths: string[], bytes: number, files: number, verify: (downloads: string) => Promise<string | null>) {
  return withDestination(
    ctx,
    'ferry',
    (dir) => {
      const downloads = join(dir, 'downloads');
      return runPair(ctx.bundleDir, {
        scenario,
        tool: 'ferry',
        bytes,
        files,
        nodeArgs: ctx.ferryNodeArgs,
        receiver: {
          worker: 'ferry-recv',
          cfg: { ...where(ctx), stateDir: join(dir, 'state-recv'), downloadDir: downloads },
          netns: ctx.placement.receiver.netns,
        },
        sender: {
          worker: 'ferry-send',
          cfg: (r) => ({
            ...where(ctx),
            bind: ctx.placement.sender.address,
            port: r.port,
            fingerprint: r.fingerprint,
            stateDir: join(dir, 'state-send'),
            paths,
          }),
          netns: ctx.placement.sender.netns,
        },
        verify: () => verify(downloads),
      });
    },
    files > 1,
  );
}

export function ferryFile(ctx: Ctx, scenario: string, src: SourceFile): Promise<RunResult> {
  return ferry(ctx, scenario, [src.path], src.size, 1, (d) => checkFile(join(d, basename(src.path)), src.sha256, src.size));
}

export function ferryTree(ctx: Ctx, scenario: string, src: SourceTree): Promise<RunResult> {
  return ferry(ctx, scenario, [src.dir], src.bytes, src.files, (d) => checkTree(src.dir, join(d, basename(src.dir))));
}
