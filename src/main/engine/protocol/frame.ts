// DATA frame header (docs/PROTOCOL.md section 4). The sender reads file bytes straight into the
// frame buffer after the header, so a chunk is never copied on its way out.
import { ErrorCode, FerryError } from '../../../shared/errors';
import { CHUNK_MAX, DIGEST_BYTES, FLAG_FILE_END, FRAME_DATA, FRAME_HEADER_BYTES } from '../../../shared/protocol';

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

/** Parses a binary frame; throws E_BAD_FRAME when it is not a well-formed DATA frame. */
export function parseFrame(buf: Buffer): DataFrame {
  if (buf.length < FRAME_HEADER_BYTES) throw new FerryError(ErrorCode.BAD_FRAME, 'Binary frame shorter than its header');
  if (buf[0] !== FRAME_DATA) throw new FerryError(ErrorCode.BAD_FRAME, `Unknown binary frame kind ${buf[0]}`);
  const flags = buf[1];
  if ((flags & ~FLAG_FILE_END) !== 0 || buf.readUInt16BE(2) !== 0) throw new FerryError(ErrorCode.BAD_FRAME, 'Unknown frame flags');
  const fileEnd = (flags & FLAG_FILE_END) !== 0;
  const start = payloadStart(fileEnd);
  if (buf.length < start) throw new FerryError(ErrorCode.BAD_FRAME, 'File-end frame without its digest');
  if (buf.length - start > CHUNK_MAX) throw new FerryError(ErrorCode.BAD_FRAME, 'Frame payload larger than CHUNK_MAX');
  const offset = buf.readUInt32BE(12) * TWO32 + buf.readUInt32BE(16);
  return {
    handle: buf.readUInt32BE(4),
    file: buf.readUInt32BE(8),
    offset,
    fileDigest: fileEnd ? buf.subarray(FRAME_HEADER_BYTES, start) : null,
    payload: buf.subarray(start),
  };
}
