// Small-files stack reference, receiver: a `ws` server over TLS taking pack-send's messages; each
// file's BLAKE3 checked, then saved with Ferry's own calls (save-like-ferry.ts), and one journal
// append per message with a line per file. What the stack, the hashing and the save rule cost
// together, with none of Ferry's protocol around them.
// With `thread`, the saving runs on a worker thread while the main thread reads and checks.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { dirname } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { digestOf } from '../../src/main/engine/transfer/digest';
import { TLS_POLICY } from '../../src/main/engine/transport/tls-policy';
import { joinInside } from '../../src/main/engine/util/safe-names';
import { config, emit, fail, now, startStats } from './common';
import { unpack, type PackEntry } from './pack-format';
import { saveLikeFerry } from './save-like-ferry';

function checked(e: PackEntry): PackEntry {
  if (!digestOf(e.data).equals(e.digest)) throw new Error(`BLAKE3 mismatch for ${e.path}`);
  return e;
}

/**
 * Saves every file of one message under dst, checking each first when `check` is set (on this
 * thread; a saving thread gets messages the main thread checked).
 */
function saver(dst: string, check: boolean): (msg: Buffer) => Taken {
  const journal = `${dst}.journal`; // beside the destination, which must hold the tree alone
  const dirs = new Set<string>();
  let n = 0;
  return (msg) => {
    const lines: string[] = [];
    const took = { files: 0, bytes: 0 };
    for (const e of unpack(msg)) {
      const { path, data } = check ? checked(e) : e;
      const target = joinInside(dst, path);
      const dir = dirname(target);
      if (!dirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      lines.push(`d ${n++} ${JSON.stringify(saveLikeFerry(target, data))}`);
      took.files++;
      took.bytes += data.length;
    }
    appendFileSync(journal, lines.join('\n') + '\n');
    return took;
  };
}

/** Files and payload bytes of one message. */
interface Taken {
  files: number;
  bytes: number;
}

/** Checks and saves each message on this thread, or checks it and hands it to a saving thread. */
function saving(dst: string, thread: boolean): { take(msg: Buffer): Taken; finish(): Promise<void> } {
  if (!thread) return { take: saver(dst, true), finish: () => Promise.resolve() };
  const w = new Worker(__filename, { workerData: { dst } });
  w.on('error', fail);
  return {
    take(msg) {
      const took = { files: 0, bytes: 0 };
      for (const e of unpack(msg)) {
        took.files++;
        took.bytes += checked(e).data.length;
      }
      const copy = new Uint8Array(msg); // ws may hand out a view of a shared buffer: send our own
      w.postMessage(copy, [copy.buffer]);
      return took;
    },
    finish: () =>
      new Promise((resolve) => {
        w.once('message', () => void w.terminate().then(() => resolve()));
        w.postMessage(null);
      }),
  };
}

function serve(): void {
  const cfg = config<{ host: string; dst: string; cert: string; key: string; thread?: boolean }>();
  const stats = startStats();
  const out = saving(cfg.dst, !!cfg.thread);
  let files = 0;
  let bytes = 0;
  const server = createServer({ cert: readFileSync(cfg.cert), key: readFileSync(cfg.key), ...TLS_POLICY });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  wss.on('connection', (ws, req) => {
    req.socket.setNoDelay(true);
    // A throw (bad pack, digest mismatch) reaches common.ts's uncaughtException handler: reported, exit 1.
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const took = out.take(data);
        files += took.files;
        bytes += took.bytes;
        return;
      }
      void out.finish().then(() => {
        emit({ type: 'done', t1: now(), bytes, files, stats: stats() });
        server.close();
      });
    });
  });
  server.listen(0, cfg.host, () => {
    const addr = server.address();
    emit({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
  });
}

if (isMainThread) serve();
else {
  const save = saver((workerData as { dst: string }).dst, false);
  // null: every message before it is saved; say so.
  parentPort!.on('message', (msg: Uint8Array | null) => {
    if (msg) save(Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength));
    else parentPort!.postMessage('saved');
  });
}
