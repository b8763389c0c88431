// The pack-send/pack-recv message body: entries of [u16 path length][path][u32 size][32-byte digest][data].
const HEAD = 2 + 4 + 32;

export function packEntry(path: string, data: Buffer, digest: Buffer): Buffer[] {
  const p = Buffer.from(path);
  const head = Buffer.allocUnsafe(2 + p.length + 4);
  head.writeUInt16BE(p.length, 0);
  p.copy(head, 2);
  head.writeUInt32BE(data.length, 2 + p.length);
  return [head, digest, data];
}

export interface PackEntry {
  path: string;
  digest: Buffer;
  data: Buffer;
}

export function* unpack(msg: Buffer): Generator<PackEntry> {
  for (let at = 0; at < msg.length; ) {
    if (msg.length - at < HEAD) throw new Error('pack: truncated entry');
    const pathLen = msg.readUInt16BE(at);
    const path = msg.toString('utf8', at + 2, at + 2 + pathLen);
    const size = msg.readUInt32BE(at + 2 + pathLen);
    const d = at + 2 + pathLen + 4;
    if (d + 32 + size > msg.length) throw new Error('pack: truncated entry');
    yield { path, digest: msg.subarray(d, d + 32), data: msg.subarray(d + 32, d + 32 + size) };
    at = d + 32 + size;
  }
}
