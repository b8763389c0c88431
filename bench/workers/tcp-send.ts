// Baseline sender: fs.createReadStream(file).pipe(net.connect(...)), nothing else.
import { createReadStream } from 'node:fs';
import { connect } from 'node:net';
import { config, emit, now, startStats } from './common';

const cfg = config<{ host: string; port: number; file: string }>();
const stats = startStats();
const t0 = now();
const socket = connect(cfg.port, cfg.host);
createReadStream(cfg.file).pipe(socket);
socket.on('close', () => emit({ type: 'done', t0, bytes: socket.bytesWritten, stats: stats() }));
