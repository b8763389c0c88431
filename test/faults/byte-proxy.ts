// A loopback TCP relay that counts the bytes the client sends upstream: the honest measure of
// "bytes put on the wire" by a sender, resends included (TLS and ws framing add well under 1%).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface ByteProxy {
  port: number;
  /** Client -> upstream bytes since start (or since the last reset). */
  readonly upBytes: number;
  reset(): number;
  /**
   * Stops relaying client -> upstream, on the connection that carries it there, once `at` bytes
   * went up: a transfer cut at a known point whatever the machine's load (a kill sent after a
   * progress line can land after the last byte). Connections made later relay as usual.
   */
  holdAt(at: number): void;
  /** The hold took effect. */
  readonly held: boolean;
  close(): Promise<void>;
}

export async function startByteProxy(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<ByteProxy> {
  let up = 0;
  let holdFrom = Infinity; // holdAt()'s threshold
  let held = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, upstreamHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d: Buffer) => {
      up += d.length;
      if (up < holdFrom) return;
      holdFrom = Infinity;
      held = true;
      client.unpipe(upstream); // this chunk still goes: pipe's own listener runs after this one
      client.pause();
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    get upBytes() {
      return up;
    },
    reset() {
      const v = up;
      up = 0;
      return v;
    },
    holdAt(at: number) {
      holdFrom = at;
      held = false;
    },
    get held() {
      return held;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
