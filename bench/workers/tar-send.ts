// Baseline sender for many files: `tar -cf - -C src .` piped into a TCP connection.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { config, emit, now, startStats } from './common';
import { childCpu, sampleRss } from './proc';

const cfg = config<{ host: string; port: number; src: string }>();
const stats = startStats();
const t0 = now();
const socket = connect(cfg.port, cfg.host);
const tar = spawn('tar', ['-cf', '-', '-C', cfg.src, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
const rss = sampleRss(tar.pid!);
tar.stdout.pipe(socket);
let tarCode: number | null = null;
tar.on('close', (code) => (tarCode = code));
socket.on('close', () => {
  // tar closes its stdout before it exits; wait for the exit so its CPU is reaped and counted.
  const finish = () => {
    if (tarCode !== 0) throw new Error(`tar -c exited with ${tarCode}`);
    emit({ type: 'done', t0, bytes: socket.bytesWritten, stats: childCpu(stats(), rss()) });
  };
  if (tarCode === null) tar.on('close', finish);
  else finish();
});
