// Hashes a file's bytes, fed in order, into BLOCK_SIZE blocks. File digest = SHA-256 of the
// concatenated raw block digests (docs/PROTOCOL.md section 5). Used by sender and receiver alike.
import { createHash, type Hash } from 'node:crypto';
import { BLOCK_SIZE } from '../../../shared/protocol';

export class BlockHasher {
  /** Raw digests of the completed blocks, in order. */
  readonly digests: Buffer[] = [];
  private hash: Hash | null = null;
  private inBlock = 0;

  constructor(
    readonly size: number,
    completed: Buffer[] = [],
  ) {
    this.digests.push(...completed);
  }

  /** Bytes hashed so far (the offset the next update starts at). */
  get position(): number {
    return Math.min(this.digests.length * BLOCK_SIZE, this.size) + this.inBlock;
  }

  /** Hashes the next bytes; returns the indices of blocks this completed. */
  update(data: Buffer): number[] {
    const done: number[] = [];
    let at = 0;
    while (at < data.length) {
      const take = Math.min(data.length - at, this.blockLen(this.digests.length) - this.inBlock);
      this.hash ??= createHash('sha256');
      this.hash.update(at === 0 && take === data.length ? data : data.subarray(at, at + take));
      this.inBlock += take;
      at += take;
      if (this.inBlock === this.blockLen(this.digests.length)) {
        this.digests.push(this.hash.digest());
        this.hash = null;
        this.inBlock = 0;
        done.push(this.digests.length - 1);
      }
    }
    return done;
  }

  /** Forgets everything from block `b` on (a rewind). */
  truncate(b: number): void {
    this.digests.length = Math.min(this.digests.length, b);
    this.hash = null;
    this.inBlock = 0;
  }

  get complete(): boolean {
    return this.position === this.size && this.digests.length === blockCount(this.size);
  }

  fileDigest(): Buffer {
    return fileDigestOf(this.digests);
  }

  private blockLen(b: number): number {
    return Math.min(BLOCK_SIZE, this.size - b * BLOCK_SIZE);
  }
}

export function blockCount(size: number): number {
  return Math.ceil(size / BLOCK_SIZE);
}

export function fileDigestOf(blockDigests: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const d of blockDigests) h.update(d);
  return h.digest();
}
