// A streaming reader of the archives `tar -cf -` writes (ustar and GNU, with GNU long names and pax
// paths): enough to take apart the tar pipe's stream in Node. Bench input only: no links, devices
// or sparse entries (they are reported as errors, never skipped quietly).
const BLOCK = 512;

export type TarEntry = { type: 'file'; path: string; data: Buffer } | { type: 'dir'; path: string };

interface Header {
  flag: string;
  path: string;
  size: number;
}

const text = (b: Buffer, from: number, len: number): string => {
  const end = b.indexOf(0, from);
  return b.toString('utf8', from, end === -1 || end > from + len ? from + len : end);
};

function parseHeader(h: Buffer, longPath: string | null): Header {
  if (h[124] & 0x80) throw new Error('tar: base-256 sizes are not supported');
  const size = parseInt(text(h, 124, 12).trim() || '0', 8);
  const prefix = h.toString('latin1', 257, 262) === 'ustar' ? text(h, 345, 155) : '';
  const name = text(h, 0, 100);
  const path = longPath ?? (prefix ? `${prefix}/${name}` : name);
  return { flag: String.fromCharCode(h[156] || 0x30), path, size };
}

/** `path=` of a pax extended header, if it has one. */
function paxPath(data: Buffer): string | null {
  let path: string | null = null;
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    const len = parseInt(data.toString('latin1', at, space), 10);
    if (space === -1 || !(len > 0)) break;
    const record = data.toString('utf8', space + 1, at + len - 1);
    if (record.startsWith('path=')) path = record.slice(5);
    at += len;
  }
  return path;
}

export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private header: Header | null = null;
  private longPath: string | null = null;
  private ended = false;

  constructor(private readonly onEntry: (e: TarEntry) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let at = 0;
    for (;;) {
      if (!this.header) {
        if (this.ended || this.buf.length - at < BLOCK) break;
        const h = this.buf.subarray(at, at + BLOCK);
        at += BLOCK;
        if (h.every((x) => x === 0)) this.ended = true; // end of archive; tar pads with more zeros
        else this.header = parseHeader(h, this.longPath);
        continue;
      }
      const padded = Math.ceil(this.header.size / BLOCK) * BLOCK;
      if (this.buf.length - at < padded) break;
      this.take(this.header, this.buf.subarray(at, at + this.header.size));
      this.header = null;
      at += padded;
    }
    this.buf = this.ended ? Buffer.alloc(0) : this.buf.subarray(at);
  }

  /** Throws unless the stream ended exactly at the end of the archive. */
  end(): void {
    if (!this.ended || this.header) throw new Error('tar: the stream ended inside the archive');
  }

  private take(h: Header, data: Buffer): void {
    if (h.flag === 'L') return void (this.longPath = text(data, 0, data.length));
    if (h.flag === 'x') return void (this.longPath = paxPath(data) ?? this.longPath);
    if (h.flag === 'g') return;
    this.longPath = null;
    const path = h.path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (h.flag === '5') {
      if (path && path !== '.') this.onEntry({ type: 'dir', path });
    } else if (h.flag === '0' || h.flag === '7') this.onEntry({ type: 'file', path, data });
    else throw new Error(`tar: entry type ${JSON.stringify(h.flag)} (${h.path}) is not supported`);
  }
}
