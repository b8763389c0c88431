// Runs each side of a transfer as its own child process, so its CPU and peak RSS are its own.
// Workers are bundled once per run with esbuild: plain node starts them, no tsx loader in the numbers.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import NODE_EXTERNALS from '../../scripts/bundle-externals.json';
import type { WorkerMessage } from './types';

export const WORKERS = ['tcp-send', 'tcp-recv', 'tar-send', 'tar-recv', 'save-recv', 'pack-send', 'pack-recv', 'ws-send', 'ws-recv', 'ferry-send', 'ferry-recv'] as const;
export type WorkerName = (typeof WORKERS)[number];

/** Bundles the named workers into outDir; returns outDir for startWorker. */
export async function bundleWorkers(outDir: string, names: readonly WorkerName[] = WORKERS): Promise<string> {
  await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, join(__dirname, '..', 'workers', `${n}.ts`)])),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // As the app's build (native and optional modules from node_modules); electron must never be pulled in.
    external: [...NODE_EXTERNALS, 'electron'],
    logLevel: 'error',
  });
  return outDir;
}

export interface StartOptions {
  /** Run inside this network namespace (ip netns exec). */
  netns?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface Worker {
  readonly pid: number | undefined;
  /** The next message, which must be of this type; rejects on error, exit or timeout. */
  next<T extends WorkerMessage['type']>(type: T, timeoutMs: number): Promise<Extract<WorkerMessage, { type: T }>>;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  /** Closes the worker's stdin: a worker that waits for it (workers/common.ts released()) may now exit. */
  release(): void;
  kill(): void;
}

/** Where a bundle in a scratch folder finds its externals (the native BLAKE3 binding). */
const MODULES = join(__dirname, '..', '..', 'node_modules');

/** Every worker still running, so that an interrupted bench leaves none behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function startWorker(bundleDir: string, name: WorkerName, cfg: unknown, opts: StartOptions = {}): Worker {
  const nodeArgs = [...(opts.nodeArgs ?? []), join(bundleDir, `${name}.js`), JSON.stringify(cfg)];
  const [cmd, args] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: MODULES, ...opts.env } });
  live.add(child);
  child.once('close', () => live.delete(child));
  return wrap(name, child);
}

function wrap(name: string, child: ChildProcess): Worker {
  const queue: WorkerMessage[] = [];
  let waiter: (() => void) | undefined;
  let stderr = '';
  let exitCode: number | null | undefined;
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return; // stray output from a library; not ours
    queue.push(JSON.parse(line) as WorkerMessage);
    waiter?.();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      exitCode = code;
      waiter?.();
      resolve(code);
    });
    child.on('error', (err) => {
      stderr += String(err);
      exitCode = -1;
      waiter?.();
      resolve(-1);
    });
  });
  const describe = () => `${name} (pid ${child.pid})${stderr ? `: ${stderr.trim()}` : ''}`;

  async function next<T extends WorkerMessage['type']>(type: T, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const msg = queue.shift();
      if (msg?.type === 'error') throw new Error(`worker ${describe()}\n${msg.message}`);
      if (msg) {
        if (msg.type !== type) throw new Error(`worker ${describe()} sent '${msg.type}' while '${type}' was expected`);
        return msg as Extract<WorkerMessage, { type: T }>;
      }
      if (exitCode !== undefined) throw new Error(`worker ${describe()} exited with ${exitCode} before '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`worker ${describe()} sent no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        waiter = () => {
          clearTimeout(t);
          waiter = undefined;
          resolve();
        };
      });
    }
  }

  return {
    pid: child.pid,
    next,
    exited,
    release: () => child.stdin!.end(),
    kill: () => {
      if (exitCode === undefined) child.kill('SIGKILL');
    },
  };
}
