// HTTP + WebSocket front of the bridge: serves the built renderer with bridge-shim.js injected
// before the app bundle, and runs API calls and events over /rpc for the page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_CALLS, API_EVENTS, type ApiCallName } from '../../src/shared/api';
import type { AppService } from '../../src/main/engine/app/app-service';
import { CSP } from '../../src/main/content-policy';

export const SHIM_NAME = 'bridge-shim.js';
/** The same policy the renderer's meta tag and the Electron shell set. */
export { CSP };
const MAX_RPC_BYTES = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function shimSource(): string {
  return readFileSync(join(__dirname, 'shim.js'), 'utf8')
    .replace('var CALLS = __CALLS__;', `var CALLS = ${JSON.stringify(API_CALLS)};`)
    .replace('var EVENTS = __EVENTS__;', `var EVENTS = ${JSON.stringify(API_EVENTS)};`);
}

/** Puts the shim before the first script, so window.ferry exists when the app bundle runs. */
export function injectShim(html: string): string {
  const tag = `<script src="${SHIM_NAME}"></script>`;
  const at = html.search(/<script\b/i);
  if (at >= 0) return html.slice(0, at) + tag + html.slice(at);
  return html.replace(/<\/head>/i, `${tag}</head>`);
}

export interface BridgeServer {
  url: string;
  close(): Promise<void>;
}

export async function serveBridge(service: AppService, rendererDir: string, port = 0): Promise<BridgeServer> {
  const shim = shimSource();
  const server = createServer((req, res) => {
    serveStatic(req, res, rendererDir, shim).catch(() => send(res, 500, 'text/plain', 'internal error'));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_BYTES });
  await listen(server, port);
  const { port: bound } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${bound}`;

  server.on('upgrade', (req, socket, head) => {
    // Only our own page (or a test client that says it is) may drive the app.
    if (req.url !== '/rpc' || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, service));
  });

  return {
    url: `${origin}/`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attach(ws: WebSocket, service: AppService): void {
  const off = service.onEvent((event, payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
  });
  ws.on('close', off);
  ws.on('message', async (data) => {
    let msg: { id?: unknown; call?: unknown; args?: unknown; grant?: unknown };
    try {
      msg = JSON.parse(String(data));
    } catch {
      return ws.close(1003, 'bad json');
    }
    // Synchronous, so a grant is in place before any later message's call runs.
    if ('grant' in msg) return void service.grantPath(msg.grant);
    if (typeof msg.id !== 'number' || typeof msg.call !== 'string') return ws.close(1003, 'bad request');
    const result = await service.call(msg.call as ApiCallName, msg.args);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }));
  });
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, shim: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === `/${SHIM_NAME}`) return send(res, 200, TYPES['.js'], shim);
  const rel = path === '/' ? 'index.html' : normalize(path.slice(1));
  const file = join(root, rel);
  const r = relative(root, file);
  if (r.startsWith('..') || isAbsolute(r)) return send(res, 404, 'text/plain', 'not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    // Browsers ask for a favicon on their own; its absence is not an error of the app.
    if (rel === 'favicon.ico') return send(res, 204, 'image/x-icon', '');
    return send(res, 404, 'text/plain', 'not found');
  }
  if (rel === 'index.html') return send(res, 200, TYPES['.html'], injectShim(body.toString('utf8')));
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
