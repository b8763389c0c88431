// Hashes a file's bytes, fed in order, into BLOCK_SIZE blocks. File digest = the digest of the
// concatenated raw block digests, or the block digest of a one-block file (docs/PROTOCOL.md
// section 5). Used by sender and receiver alike.
import { BLOCK_SIZE } from '../../../shared/protocol';
import { digestOf, newHasher, type Hasher } from './digest';

export class BlockHasher {
  /** Raw digests of the completed blocks, in order. */
  readonly digests: Buffer[] = [];
  /** Reset and reused for every block: making a hasher costs more than hashing 4 KiB. */
  private hash: Hasher | null = null;
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
      const len = this.blockLen(this.digests.length);
      const take = Math.min(data.length - at, len - this.inBlock);
      const part = at === 0 && take === data.length ? data : data.subarray(at, at + take);
      at += take;
      if (this.inBlock === 0 && take === len) {
        this.digests.push(digestOf(part)); // a whole block in one piece: no hasher state needed
      } else {
        this.hash ??= newHasher();
        this.hash.update(part);
        this.inBlock += take;
        if (this.inBlock < len) continue;
        this.digests.push(this.hash.digestBuffer());
        this.hash.reset();
        this.inBlock = 0;
      }
      done.push(this.digests.length - 1);
    }
    return done;
  }

  /** Forgets everything from block `b` on (a rewind). */
  truncate(b: number): void {
    this.digests.length = Math.min(this.digests.length, b);
    this.hash?.reset();
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

/** One block: its digest is the file's (the offered size fixes the block count); a hash call saved per small file. */
export function fileDigestOf(blockDigests: Buffer[]): Buffer {
  return blockDigests.length === 1 ? blockDigests[0] : digestOf(Buffer.concat(blockDigests));
}
