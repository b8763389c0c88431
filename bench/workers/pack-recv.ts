// Small-files stack reference, receiver: a `ws` server over TLS taking pack-send's messages; each
// file's BLAKE3 checked, then saved with Ferry's own calls (writeWholeFile to a temp beside the
// target, moveToUniqueName), and one journal append per message with a line per file. What the
// stack, the hashing and the save rule cost together, with none of Ferry's protocol around them.
// With `thread`, the saving runs on a worker thread while the main thread reads and checks.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { basename, dirname, sep } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { digestOf } from '../../src/main/engine/transfer/digest';
import { writeWholeFile } from '../../src/main/engine/transfer/whole-file';
import { TLS_POLICY } from '../../src/main/engine/transport/tls-policy';
import { joinInside, moveToUniqueName } from '../../src/main/engine/util/safe-names';
import { unpack } from './pack-format';
import { config, emit, fail, now, startStats } from './common';

/** Saves every file of one message under dst; returns how many. */
function saver(dst: string): (msg: Buffer) => number {
  const journal = `${dst}.journal`; // beside the destination, which must hold the tree alone
  const dirs = new Set<string>();
  let n = 0;
  return (msg) => {
    const lines: string[] = [];
    for (const e of unpack(msg)) {
      const target = joinInside(dst, e.path);
      const dir = dirname(target);
      if (!dirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      const temp = `${dir}${sep}.${basename(target)}.ferry-part`;
      writeWholeFile(temp, e.data);
      lines.push(`d ${n++} ${JSON.stringify(moveToUniqueName(temp, dir, basename(target)))}`);
    }
    appendFileSync(journal, lines.join('\n') + '\n');
    return n;
  };
}

/** Checks every file's digest; returns the payload bytes. */
function check(msg: Buffer): number {
  let bytes = 0;
  for (const e of unpack(msg)) {
    if (!digestOf(e.data).equals(e.digest)) throw new Error(`BLAKE3 mismatch for ${e.path}`);
    bytes += e.data.length;
  }
  return bytes;
}

/** Saving on this thread, or handed to a worker thread; `finish` gives the file count once all are saved. */
function saving(dst: string, thread: boolean): { take(msg: Buffer): void; finish(): Promise<number> } {
  if (!thread) {
    const save = saver(dst);
    let n = 0;
    return { take: (msg) => void (n = save(msg)), finish: () => Promise.resolve(n) };
  }
  const w = new Worker(__filename, { workerData: { dst } });
  w.on('error', fail);
  return {
    take(msg) {
      const copy = new Uint8Array(msg); // ws may hand out a view of a shared buffer: send our own
      w.postMessage(copy, [copy.buffer]);
    },
    finish: () =>
      new Promise((resolve) => {
        w.once('message', (n: number) => void w.terminate().then(() => resolve(n)));
        w.postMessage(null);
      }),
  };
}

function serve(): void {
  const cfg = config<{ host: string; dst: string; cert: string; key: string; thread?: boolean }>();
  const stats = startStats();
  const out = saving(cfg.dst, !!cfg.thread);
  let bytes = 0;
  const server = createServer({ cert: readFileSync(cfg.cert), key: readFileSync(cfg.key), ...TLS_POLICY });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  wss.on('connection', (ws, req) => {
    req.socket.setNoDelay(true);
    // A throw (bad pack, digest mismatch) reaches common.ts's uncaughtException handler: reported, exit 1.
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        bytes += check(data);
        return out.take(data);
      }
      void out.finish().then((files) => {
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
  const save = saver((workerData as { dst: string }).dst);
  let n = 0;
  parentPort!.on('message', (msg: Uint8Array | null) => {
    if (msg) n = save(Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength));
    else parentPort!.postMessage(n);
  });
}
