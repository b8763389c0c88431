// Reference receiver for many files: tar's stream from a TCP socket, taken apart in Node, each file
// saved with Ferry's own calls for a small file (writeWholeFile to a temp file beside the target,
// then moveToUniqueName: link to the name, unlink the temp). No TLS, hashing, protocol or journal:
// what the save rule alone (never half-visible, never overwrite) costs a Node receiver.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { joinInside } from '../../src/main/engine/util/safe-names';
import { config, emit, now, startStats } from './common';
import { saveLikeFerry } from './save-like-ferry';
import { TarReader, type TarEntry } from './tar-reader';

const cfg = config<{ host: string; dst: string }>();
const stats = startStats();
let files = 0;

function save(e: TarEntry): void {
  const path = joinInside(cfg.dst, e.path);
  if (e.type === 'dir') return void mkdirSync(path, { recursive: true });
  saveLikeFerry(path, e.data);
  files++;
}

const server = createServer((socket) => {
  server.close();
  const reader = new TarReader(save);
  // A throw (bad archive, failed save) reaches common.ts's uncaughtException handler: reported, exit 1.
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('end', () => {
    reader.end();
    emit({ type: 'done', t1: now(), bytes: socket.bytesRead, files, stats: stats() });
  });
});
server.listen(0, cfg.host, () => {
  const addr = server.address();
  emit({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
