// DATA and PACK frames (docs/PROTOCOL.md section 4). The sender reads file bytes straight into the
// frame buffer after the header, so a chunk is never copied on its way out.
import { ErrorCode, FerryError } from '../../../shared/errors';
import {
  CHUNK_MAX,
  DIGEST_BYTES,
  FLAG_FILE_END,
  FRAME_DATA,
  FRAME_HEADER_BYTES,
  FRAME_PACK,
  PACK_ENTRY_BYTES,
  PACK_FILE_MAX,
  PACK_HEADER_BYTES,
  PACK_MAX_FILES,
} from '../../../shared/protocol';

const TWO32 = 2 ** 32;

export interface DataFrame {
  handle: number;
  file: number;
  offset: number;
  /** Set on the frame that ends the file. */
  fileDigest: Buffer | null;
  payload: Buffer;
}

/** Where the payload starts in a frame buffer. */
export function payloadStart(fileEnd: boolean): number {
  return FRAME_HEADER_BYTES + (fileEnd ? DIGEST_BYTES : 0);
}

/** Allocates a frame buffer with room for `payloadLen` bytes at payloadStart(fileEnd). */
export function allocFrame(payloadLen: number, fileEnd: boolean): Buffer {
  return Buffer.allocUnsafe(payloadStart(fileEnd) + payloadLen);
}

/** Fills in the header (and the digest for the last frame of a file). */
export function writeHeader(buf: Buffer, handle: number, file: number, offset: number, fileDigest: Buffer | null): void {
  buf.writeUInt8(FRAME_DATA, 0);
  buf.writeUInt8(fileDigest ? FLAG_FILE_END : 0, 1);
  buf.writeUInt16BE(0, 2);
  buf.writeUInt32BE(handle, 4);
  buf.writeUInt32BE(file, 8);
  buf.writeUInt32BE(Math.floor(offset / TWO32), 12);
  buf.writeUInt32BE(offset % TWO32, 16);
  if (fileDigest) fileDigest.copy(buf, FRAME_HEADER_BYTES);
}

/** Where the next entry of a pack starts: `at` is where this one starts. */
export function packEntryEnd(at: number, size: number): number {
  return at + PACK_ENTRY_BYTES + size;
}

/** Fills in a pack's header; its entries are written with writePackEntry. */
export function writePackHeader(buf: Buffer, handle: number, count: number): void {
  buf.writeUInt8(FRAME_PACK, 0);
  buf.writeUInt8(0, 1);
  buf.writeUInt16BE(count, 2);
  buf.writeUInt32BE(handle, 4);
}

/** The entry head at `at`; the file's bytes follow at packEntryEnd(at, 0). */
export function writePackEntry(buf: Buffer, at: number, file: number, size: number, fileDigest: Buffer): void {
  buf.writeUInt32BE(file, at);
  buf.writeUInt32BE(size, at + 4);
  fileDigest.copy(buf, at + 8);
}

/** The frames of a binary message: one for DATA, one per file for PACK. Throws E_BAD_FRAME when malformed. */
export function parseFrames(buf: Buffer): DataFrame[] {
  return buf.length > 0 && buf[0] === FRAME_PACK ? parsePack(buf) : [parseFrame(buf)];
}

/** Each entry becomes the DATA frame it stands for: the whole file at offset 0, with its digest. */
function parsePack(buf: Buffer): DataFrame[] {
  if (buf.length < PACK_HEADER_BYTES) throw badFrame('PACK frame shorter than its header');
  if (buf[1] !== 0) throw badFrame('Unknown frame flags');
  const count = buf.readUInt16BE(2);
  if (count < 1 || count > PACK_MAX_FILES) throw badFrame(`A PACK frame holds 1 to ${PACK_MAX_FILES} files, not ${count}`);
  if (buf.length - PACK_HEADER_BYTES - count * PACK_ENTRY_BYTES > CHUNK_MAX) throw badFrame('PACK frame larger than CHUNK_MAX');
  const handle = buf.readUInt32BE(4);
  const frames: DataFrame[] = [];
  let at = PACK_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (buf.length < packEntryEnd(at, 0)) throw badFrame('PACK frame cut short');
    const size = buf.readUInt32BE(at + 4);
    if (size > PACK_FILE_MAX) throw badFrame(`A file of ${size} bytes in a PACK frame (at most ${PACK_FILE_MAX})`);
    const end = packEntryEnd(at, size);
    if (buf.length < end) throw badFrame('PACK frame cut short');
    const file = buf.readUInt32BE(at);
    frames.push({ handle, file, offset: 0, fileDigest: buf.subarray(at + 8, at + PACK_ENTRY_BYTES), payload: buf.subarray(end - size, end) });
    at = end;
  }
  if (at !== buf.length) throw badFrame('Bytes after the last file of a PACK frame');
  return frames;
}

/** Parses a binary frame; throws E_BAD_FRAME when it is not a well-formed DATA frame. */
export function parseFrame(buf: Buffer): DataFrame {
  if (buf.length < FRAME_HEADER_BYTES) throw badFrame('Binary frame shorter than its header');
  if (buf[0] !== FRAME_DATA) throw badFrame(`Unknown binary frame kind ${buf[0]}`);
  const flags = buf[1];
  if ((flags & ~FLAG_FILE_END) !== 0 || buf.readUInt16BE(2) !== 0) throw badFrame('Unknown frame flags');
  const fileEnd = (flags & FLAG_FILE_END) !== 0;
  const start = payloadStart(fileEnd);
  if (buf.length < start) throw badFrame('File-end frame without its digest');
  if (buf.length - start > CHUNK_MAX) throw badFrame('Frame payload larger than CHUNK_MAX');
  const offset = buf.readUInt32BE(12) * TWO32 + buf.readUInt32BE(16);
  return {
    handle: buf.readUInt32BE(4),
    file: buf.readUInt32BE(8),
    offset,
    fileDigest: fileEnd ? buf.subarray(FRAME_HEADER_BYTES, start) : null,
    payload: buf.subarray(start),
  };
}

function badFrame(message: string): FerryError {
  return new FerryError(ErrorCode.BAD_FRAME, message);
}
