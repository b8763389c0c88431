// Baseline receiver: a TCP server that pipes the one connection into a file, done when the file is closed.
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { config, emit, now, startStats } from './common';

const cfg = config<{ host: string; out: string }>();
const stats = startStats();
const server = createServer((socket) => {
  server.close();
  const out = createWriteStream(cfg.out);
  socket.pipe(out);
  out.on('close', () => emit({ type: 'done', t1: now(), bytes: out.bytesWritten, files: 1, stats: stats() }));
});
server.listen(0, cfg.host, () => {
  const addr = server.address();
  emit({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
