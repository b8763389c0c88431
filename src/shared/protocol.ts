// Wire-level constants. docs/PROTOCOL.md is the prose; this file is the source of truth.

/** Versions this build speaks, newest first. The hello picks the highest common one. */
export const PROTOCOL_VERSIONS = [6] as const;
export const PROTOCOL_VERSION = 6;

/** TCP port of the TLS WebSocket server when none is given. */
export const DEFAULT_PORT = 53_417;
/** UDP port and groups for announce-and-answer discovery. */
export const DISCOVERY_PORT = 53_417;
export const DISCOVERY_GROUP_V4 = '224.0.0.167';
export const DISCOVERY_GROUP_V6 = 'ff02::167';

/** ws subprotocol, so a stray client of another kind is refused at the upgrade. */
export const WS_SUBPROTOCOL = 'ferry.v1';
export const WS_PATH = '/ferry';

/**
 * Binary DATA frame header, big-endian:
 *   0  u8  kind (FRAME_DATA)
 *   1  u8  flags (FLAG_FILE_END: the payload ends the file; the 32-byte BLAKE3 file digest follows the header)
 *   2  u16 reserved, zero
 *   4  u32 transfer handle (from the accept)
 *   8  u32 file index within the offer
 *   12 u32 offset high 32 bits
 *   16 u32 offset low 32 bits
 *   20 ... [32-byte digest when FLAG_FILE_END] payload
 */
export const FRAME_DATA = 0x01;
export const FLAG_FILE_END = 0x01;
export const FRAME_HEADER_BYTES = 20;
export const DIGEST_BYTES = 32;

/**
 * Binary PACK frame (version 5): several small files, each whole, in one message, big-endian:
 *   0  u8  kind (FRAME_PACK)
 *   1  u8  flags, zero
 *   2  u16 file count, 1..PACK_MAX_FILES
 *   4  u32 transfer handle
 *   8  per file: u32 file index, u32 size, 32-byte BLAKE3 file digest, then its bytes
 * Each entry means what a DATA frame at offset 0 with FLAG_FILE_END would.
 */
export const FRAME_PACK = 0x02;
export const PACK_HEADER_BYTES = 8;
export const PACK_ENTRY_BYTES = 8 + DIGEST_BYTES;
/** Largest file sent inside a pack; larger ones take DATA frames. */
export const PACK_FILE_MAX = 64 * 1024;
/** Most files in one pack: a receiver saves them in one turn of its event loop. */
export const PACK_MAX_FILES = 256;

/**
 * Most files in one offerPart message (version 6): one per turn of the sender's scan. A batch is
 * at most 100 parts (LIMITS.maxOfferEntries / this), well within the control-message rate limit.
 */
export const OFFER_PART_MAX = 1000;

/** Most file indices in one filesDone message (well under LIMITS.maxControlBytes as JSON). */
export const FILES_DONE_MAX = 4096;

/** Integrity block: every file is hashed in blocks of this size (the last may be shorter). */
export const BLOCK_SIZE = 4 * 1024 * 1024;

/** Adaptive chunk sizing bounds (see docs/PROTOCOL.md, "Chunk controller"). */
export const CHUNK_MIN = 64 * 1024;
export const CHUNK_MAX = 2 * 1024 * 1024;
export const CHUNK_START = 256 * 1024;

/** Liveness: ping every HEARTBEAT_INTERVAL; a peer silent for HEARTBEAT_TIMEOUT is dead. */
export const HEARTBEAT_INTERVAL_MS = 2_500;
export const HEARTBEAT_TIMEOUT_MS = 10_000;

/** Sender reconnect backoff after an unexpected drop, and how long it keeps trying. */
export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 5_000;
export const RECONNECT_WINDOW_MS = 90_000;

/** Discovery timing: appear within 2 s, leave within 5 s (goodbye) or 15 s (vanished). */
export const ANNOUNCE_INTERVAL_MS = 4_000;
export const PEER_TTL_MS = 12_000;
