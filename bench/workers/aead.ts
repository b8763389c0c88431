// AES-128-GCM per ws message for the transport microbench: what encryption at the application level
// over plain ws would cost (docs/PROTOCOL.md section 1). Counter nonces; update() in 64 KiB pieces,
// the cheapest found here: one update() over a whole 2 MiB buffer cost 1.35 CPU s/GB, 64 KiB pieces 0.56.
import { createCipheriv, createDecipheriv } from 'node:crypto';

const PIECE = 64 * 1024;
const TAG_BYTES = 16;

function nonce(n: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(n), 4);
  return iv;
}

/** Seals one message: its ciphertext in pieces, then the tag, to send as the fragments of one ws message. */
export function sealer(key: Buffer): (msg: Buffer) => Buffer[] {
  let n = 0;
  return (msg) => {
    const c = createCipheriv('aes-128-gcm', key, nonce(n++));
    const out: Buffer[] = [];
    for (let at = 0; at < msg.length; at += PIECE) out.push(c.update(msg.subarray(at, at + PIECE)));
    c.final();
    out.push(c.getAuthTag());
    return out;
  };
}

/** Opens one message into plaintext pieces; throws when it was altered, reordered or replayed. */
export function opener(key: Buffer): (msg: Buffer) => Buffer[] {
  let n = 0;
  return (msg) => {
    const end = msg.length - TAG_BYTES;
    const d = createDecipheriv('aes-128-gcm', key, nonce(n++));
    d.setAuthTag(msg.subarray(end));
    const out: Buffer[] = [];
    for (let at = 0; at < end; at += PIECE) out.push(d.update(msg.subarray(at, Math.min(end, at + PIECE))));
    d.final();
    return out;
  };
}
