// The fuzzer: a few workers, each on one hostile connection at a time, send a valid session
// (hello, offer, DATA frames, block digests, pause/resume) with a share of its frames mutated
// (mutate.ts), in small batches with a ping round trip between them, until the receiver closes
// the connection; then they reconnect. Counts frames, connections, mutations and the codes seen.
import { randomBytes } from 'node:crypto';
import { PACK_FILE_MAX, PROTOCOL_VERSION } from '../../src/shared/protocol';
import type { Rng } from '../faults/prng';
import { ConnectRefused, dataFrame, digestsOf, HostileClient, offerMessage, packFrame, type HostileIdentity } from '../support/hostile-client';
import { type Frame, mutate } from './mutate';

export interface FuzzOptions {
  port: number;
  identity: HostileIdentity;
  rng: Rng;
  /** Stop after this many frames sent. */
  frames: number;
  /** Hard bound on connections (each worker reconnects after a close). */
  maxConnections: number;
  workers?: number;
  /** Share of frames that are mutated. */
  mutateShare?: number;
  deadlineMs: number;
  /** Names of files the fuzzer offers start with this (so the tree check can tell them apart). */
  namePrefix: string;
}

export interface FuzzStats {
  frames: number;
  mutated: number;
  connections: number;
  refusedConnects: number;
  /** Upper bound of frames sent after the one that got the connection closed (in the same batch), which the receiver drops unread. */
  unreadAtMost: number;
  acceptedOffers: number;
  filesCompleted: number;
  /** Paths of the offers the receiver accepted (as sent, mutations included): the only names allowed on disk. */
  acceptedPaths: Set<string>;
  /** error code (from the error message or close reason) or close code -> count */
  closes: Record<string, number>;
  mutations: Record<string, number>;
}

const ALLOWED = 20_000;

export async function runFuzz(o: FuzzOptions): Promise<FuzzStats> {
  const stats: FuzzStats = { frames: 0, mutated: 0, connections: 0, refusedConnects: 0, unreadAtMost: 0, acceptedOffers: 0, filesCompleted: 0, acceptedPaths: new Set(), closes: {}, mutations: {} };
  const end = Date.now() + o.deadlineMs;
  const more = () => stats.frames < o.frames && stats.connections < o.maxConnections && Date.now() < end;
  const worker = async (w: number) => {
    while (more()) await oneConnection(o, stats, w, more);
  };
  await Promise.all(Array.from({ length: o.workers ?? 4 }, (_, w) => worker(w)));
  return stats;
}

async function oneConnection(o: FuzzOptions, st: FuzzStats, w: number, more: () => boolean): Promise<void> {
  const id = st.connections++;
  let c: HostileClient;
  try {
    c = await HostileClient.connect({ port: o.port, identity: o.identity, localAddress: `127.0.7.${w + 1}` });
  } catch (err) {
    if (!(err instanceof ConnectRefused)) throw err;
    st.refusedConnects++;
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  const rng = o.rng;
  const share = o.mutateShare ?? 0.2;
  let lastText = '';
  const send = (f: Frame, canMutate = true, force = false) => {
    let out = f;
    if (canMutate && (force || rng.next() < share)) {
      const m = mutate(rng, f);
      out = m.frame;
      st.mutated++;
      st.mutations[m.how] = (st.mutations[m.how] ?? 0) + 1;
    }
    st.frames++;
    if ('bin' in out) c.sendBinary(out.bin);
    else {
      lastText = out.text;
      c.sendText(out.text);
    }
  };
  try {
    send({ text: JSON.stringify({ t: 'hello', versions: [PROTOCOL_VERSION], name: `fuzz-${w}`, deviceType: 'laptop', port: 0 }) });
    const welcome = await c.waitType('welcome', 5_000);
    if (!welcome) return;
    const files = Array.from({ length: rng.int(1, 3) }, (_, k) => ({ path: `${o.namePrefix}${id}-${k}.bin`, content: randomBytes(rng.int(0, 48_000)) }));
    send({ text: JSON.stringify(offerMessage(files.map((f) => ({ path: f.path, size: f.content.length })))) });
    const accept = await c.waitFor((m) => 't' in m && m.t !== 'welcome', 5_000);
    if (!accept || !('t' in accept) || accept.t !== 'accept') return;
    st.acceptedOffers++;
    for (const p of offeredPaths(lastText)) st.acceptedPaths.add(p);
    const stream = validStream(rng, accept.handle as number, files.map((f) => f.content));
    for (let sent = 0; more() && c.isOpen && sent < 400; ) {
      // A run of valid frames, a round trip, then at most one mutated frame and another round trip:
      // so we know which part closed the connection, and few frames go unread behind a fatal one.
      const batch = rng.int(1, 10);
      for (let k = batch; k > 0; k--, sent++) send(stream.next().value as Frame, false);
      if (!(await c.roundTrip(10_000))) {
        st.unreadAtMost += batch - 1; // a valid frame was fatal (after an earlier mutation that got through)
        break;
      }
      if (rng.next() < share * (batch + 1)) {
        send(stream.next().value as Frame, true, true);
        sent++;
        if (!(await c.roundTrip(10_000))) break;
      }
    }
  } finally {
    for (const m of c.received) if ('t' in m) st.filesCompleted += m.t === 'fileDone' ? 1 : m.t === 'filesDone' ? (m.f as number[]).length : 0;
    await c.end();
    const closed = await c.closed;
    const key = closed.error ?? (closed.reason || String(closed.code));
    st.closes[key] = (st.closes[key] ?? 0) + 1;
  }
}

function offeredPaths(text: string): string[] {
  try {
    const o = JSON.parse(text) as { files?: { path?: unknown }[]; dirs?: unknown[] };
    return [...(o.files ?? []).map((f) => f.path), ...(o.dirs ?? [])].filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

/** The frames a correct sender would send for `contents`, then harmless pause/resume pairs forever. */
function* validStream(rng: Rng, handle: number, contents: Buffer[]): Generator<Frame> {
  for (const [f, content] of contents.entries()) {
    if (content.length <= PACK_FILE_MAX && rng.int(0, 1) === 1) {
      yield { bin: packFrame(handle, [{ file: f, payload: content }]) }; // what a sender does with a small file
      continue;
    }
    const d = digestsOf(content);
    let at = 0;
    do {
      const len = Math.min(content.length - at, rng.int(1, 16_000));
      const last = at + len === content.length;
      yield { bin: dataFrame(handle, f, at, content.subarray(at, at + len), last ? d.file : undefined) };
      at += len;
    } while (at < content.length);
    for (const [b, h] of d.blocks.entries()) yield { text: JSON.stringify({ t: 'block', f, b, h: h.toString('hex') }) };
  }
  for (let i = 0; i < ALLOWED; i++) yield { text: JSON.stringify({ t: i % 2 ? 'resume' : 'pause' }) };
}
