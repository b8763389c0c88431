// Baseline receiver for many files: a TCP server piping the connection into `tar -xf - -C dst`.
// tar's CPU is counted through this process's reaped-children time; its RSS by sampling /proc.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { config, emit, now, startStats } from './common';
import { childCpu, sampleRss } from './proc';

const cfg = config<{ host: string; dst: string }>();
const stats = startStats();
const server = createServer((socket) => {
  server.close();
  const tar = spawn('tar', ['-xf', '-', '-C', cfg.dst], { stdio: ['pipe', 'ignore', 'inherit'] });
  const rss = sampleRss(tar.pid!);
  socket.pipe(tar.stdin);
  tar.on('close', (code) => {
    const t1 = now();
    if (code !== 0) throw new Error(`tar -x exited with ${code}`);
    emit({ type: 'done', t1, bytes: socket.bytesRead, stats: childCpu(stats(), rss()) });
  });
});
server.listen(0, cfg.host, () => {
  const addr = server.address();
  emit({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
