// Frame mutations for the fuzzer: bit flips, truncation, length changes, header field changes,
// type confusion (text <-> binary, another message type, wrong field types) and random JSON.
import { randomBytes } from 'node:crypto';
import type { Rng } from '../faults/prng';

export type Frame = { text: string } | { bin: Buffer };

const TYPES = ['hello', 'welcome', 'error', 'offer', 'accept', 'reject', 'block', 'ack', 'rewind', 'rewound', 'fileDone', 'filesDone', 'fileFailed', 'done', 'pause', 'resume', 'cancel', 'nope', '', '__proto__', 'constructor'];
const FIELDS = ['t', 'f', 'b', 'h', 'offset', 'written', 'committed', 'code', 'message', 'files', 'transferId', 'handle', 'versions', 'name', 'path', 'size'];

export const MUTATIONS = ['bitflip', 'truncate', 'extend', 'header', 'confuse-kind', 'confuse-type', 'confuse-field', 'random-json', 'random-bytes'] as const;
export type Mutation = (typeof MUTATIONS)[number];

export function mutate(rng: Rng, f: Frame): { frame: Frame; how: Mutation } {
  const how = rng.pick(MUTATIONS);
  return { frame: apply(rng, f, how), how };
}

function apply(rng: Rng, f: Frame, how: Mutation): Frame {
  const bytes = 'bin' in f ? Buffer.from(f.bin) : Buffer.from(f.text, 'utf8');
  const back = (b: Buffer): Frame => ('bin' in f ? { bin: b } : { text: b.toString('utf8') });
  switch (how) {
    case 'bitflip': {
      for (let i = rng.int(1, 3); i > 0 && bytes.length; i--) bytes[rng.int(0, bytes.length - 1)] ^= 1 << rng.int(0, 7);
      return back(bytes);
    }
    case 'truncate':
      return back(bytes.subarray(0, rng.int(0, Math.max(0, bytes.length - 1))));
    case 'extend':
      return back(Buffer.concat([bytes, randomBytes(rng.pick([1, 7, 32, 1000, 70_000]))]));
    case 'header': {
      const b = bytes.length >= 20 ? bytes : Buffer.concat([bytes, Buffer.alloc(20 - bytes.length)]);
      const at = rng.pick([0, 1, 2, 4, 8, 12, 16]);
      if (at < 2) b[at] = rng.int(0, 255);
      else if (at === 2) b.writeUInt16BE(rng.int(0, 0xffff), 2);
      else b.writeUInt32BE(rng.pick([0, 1, 0xffffffff, rng.int(0, 0xffffffff)]), at);
      return { bin: b };
    }
    case 'confuse-kind':
      return 'bin' in f ? { text: bytes.toString('latin1') } : { bin: bytes };
    case 'confuse-type':
      return withJson(f, rng, (o) => ({ ...o, t: rng.pick(TYPES) }));
    case 'confuse-field':
      return withJson(f, rng, (o) => {
        const k = rng.pick([...Object.keys(o), ...FIELDS]);
        return { ...o, [k]: randomValue(rng, 2) };
      });
    case 'random-json':
      return { text: JSON.stringify(randomJson(rng)) };
    case 'random-bytes':
      return rng.next() < 0.5 ? { bin: randomBytes(rng.int(0, 300)) } : { text: randomBytes(rng.int(0, 300)).toString('latin1') };
  }
}

function withJson(f: Frame, rng: Rng, change: (o: Record<string, unknown>) => Record<string, unknown>): Frame {
  if ('text' in f) {
    try {
      const o = JSON.parse(f.text) as unknown;
      if (o && typeof o === 'object' && !Array.isArray(o)) return { text: JSON.stringify(change(o as Record<string, unknown>)) };
    } catch {
      // not JSON: fall through
    }
  }
  return { text: JSON.stringify(change(randomJson(rng))) };
}

export function randomJson(rng: Rng): Record<string, unknown> {
  const o: Record<string, unknown> = { t: rng.pick(TYPES) };
  for (let i = rng.int(0, 4); i > 0; i--) o[rng.pick(FIELDS)] = randomValue(rng, 3);
  return o;
}

function randomValue(rng: Rng, depth: number): unknown {
  switch (rng.int(0, depth > 0 ? 9 : 6)) {
    case 0:
      return rng.int(-5, 5);
    case 1:
      return rng.pick([2 ** 32, 2 ** 53, -(2 ** 53), 1e308, 0.5, -0]);
    case 2:
      return rng.pick(['', '../../x', 'a'.repeat(rng.int(1, 5000)), '\u0000', 'E_LIMIT', '0'.repeat(64)]);
    case 3:
      return null;
    case 4:
      return rng.next() < 0.5;
    case 5:
      return randomBytes(rng.int(1, 40)).toString('hex');
    case 6:
      return rng.int(0, 0xffffffff);
    case 7:
      return Array.from({ length: rng.int(0, 5) }, () => randomValue(rng, depth - 1));
    case 8:
      return { path: randomValue(rng, 0), size: randomValue(rng, 0), mtime: randomValue(rng, 0) };
    default:
      return randomJson(rng);
  }
}
