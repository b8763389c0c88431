// Control messages (JSON text frames): their TypeScript shapes and their wire schemas.
// docs/PROTOCOL.md section 2 is the prose for this file.
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import { FILES_DONE_MAX, OFFER_PART_MAX } from '../../../shared/protocol';
import type { DeviceType } from '../../../shared/types';
import type { IndexRange } from '../util/index-ranges';
import { arr, type Check, int, obj, oneOf, str } from './schema';

const U32 = 0xffff_ffff;
const MAX_SIZE = LIMITS.maxFileSize;
const MAX_BLOCKS = Math.ceil(LIMITS.maxFileSize / (4 * 1024 * 1024));
const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CODES = Object.values(ErrorCode);
const DEVICE_TYPES: DeviceType[] = ['desktop', 'laptop', 'server'];

export interface OfferEntry {
  path: string;
  size: number;
  mtime: number;
}
export interface AcceptEntry {
  index: number;
  offset: number;
  blocks: string[];
}

export type Msg =
  | { t: 'hello'; versions: number[]; name: string; deviceType: DeviceType; port: number }
  | { t: 'welcome'; version: number; name: string; deviceType: DeviceType; port: number }
  | { t: 'error'; code: ErrorCode; message: string }
  /** The first files of the offer that follows on this connection, sent while the rest are still being found. */
  | { t: 'offerPart'; files: OfferEntry[] }
  | { t: 'offer'; transferId: string; resumeKey: string; files: OfferEntry[]; dirs?: string[]; totalBytes: number }
  /** files: resumed files (offset > 0); fresh: files from offset 0, as inclusive index ranges. */
  | { t: 'accept'; transferId: string; handle: number; files: AcceptEntry[]; fresh?: IndexRange[]; done?: number[] }
  | { t: 'reject'; transferId: string; code: ErrorCode; message: string }
  | { t: 'block'; f: number; b: number; h: string }
  | { t: 'ack'; f: number; written: number; committed: number }
  | { t: 'rewind'; f: number; offset: number }
  | { t: 'rewound'; f: number; offset: number }
  | { t: 'fileDone'; f: number; savedAs?: string }
  | { t: 'filesDone'; f: number[] }
  | { t: 'fileFailed'; f: number; code: ErrorCode; message: string }
  | { t: 'done' }
  | { t: 'pause' }
  | { t: 'resume' }
  | { t: 'cancel'; code?: ErrorCode; message?: string };

export type MsgType = Msg['t'];
export type MsgOf<T extends MsgType> = Extract<Msg, { t: T }>;

const path = str(1, LIMITS.maxPathBytes);
const fileIndex = int(0, LIMITS.maxOfferEntries - 1);
const offerEntry = obj({ path, size: int(0, MAX_SIZE), mtime: int(0, 8.64e15) });
const offset = int(0, MAX_SIZE);
const code = oneOf(CODES);
const message = str(0, 1024);
const t = (name: string) => oneOf([name]);
// eslint-disable-next-line no-control-regex
const NAME_RE = /^[^\u0000-\u001f\u007f]+$/u;
/** 1..64 characters (code points, as discovery counts them), no control characters. */
const deviceName: Check = (v) =>
  typeof v === 'string' && NAME_RE.test(v) && [...v].length <= 64 ? null : 'a name of 1..64 characters without control characters';

const SCHEMAS: Record<MsgType, Check> = {
  hello: obj({ t: t('hello'), versions: arr(int(1, 1000), 16, 1), name: deviceName, deviceType: oneOf(DEVICE_TYPES), port: int(0, 65535) }),
  welcome: obj({ t: t('welcome'), version: int(1, 1000), name: deviceName, deviceType: oneOf(DEVICE_TYPES), port: int(0, 65535) }),
  error: obj({ t: t('error'), code, message }),
  offerPart: obj({ t: t('offerPart'), files: arr(offerEntry, OFFER_PART_MAX, 1) }),
  offer: obj({
    t: t('offer'),
    transferId: str(36, 36, UUID),
    resumeKey: str(64, 64, HEX64),
    files: arr(offerEntry, LIMITS.maxOfferEntries),
    'dirs?': arr(path, LIMITS.maxOfferEntries),
    totalBytes: int(0, Number.MAX_SAFE_INTEGER),
  }),
  accept: obj({
    t: t('accept'),
    transferId: str(36, 36, UUID),
    handle: int(0, U32),
    files: arr(obj({ index: fileIndex, offset, blocks: arr(str(64, 64, HEX64), MAX_BLOCKS) }), LIMITS.maxOfferEntries),
    'fresh?': arr(arr(fileIndex, 2, 2), LIMITS.maxOfferEntries),
    'done?': arr(fileIndex, LIMITS.maxOfferEntries),
  }),
  reject: obj({ t: t('reject'), transferId: str(36, 36, UUID), code, message }),
  block: obj({ t: t('block'), f: fileIndex, b: int(0, MAX_BLOCKS), h: str(64, 64, HEX64) }),
  ack: obj({ t: t('ack'), f: fileIndex, written: offset, committed: offset }),
  rewind: obj({ t: t('rewind'), f: fileIndex, offset }),
  rewound: obj({ t: t('rewound'), f: fileIndex, offset }),
  fileDone: obj({ t: t('fileDone'), f: fileIndex, 'savedAs?': path }),
  filesDone: obj({ t: t('filesDone'), f: arr(fileIndex, FILES_DONE_MAX, 1) }),
  fileFailed: obj({ t: t('fileFailed'), f: fileIndex, code, message }),
  done: obj({ t: t('done') }),
  pause: obj({ t: t('pause') }),
  resume: obj({ t: t('resume') }),
  cancel: obj({ t: t('cancel'), 'code?': code, 'message?': message }),
};

/** Messages that carry the data flow: validated against transfer state; the transfer charges the
 *  rate limit only for those that change nothing, and for rewinds (PROTOCOL.md section 7). */
export const FLOW_TYPES: ReadonlySet<MsgType> = new Set(['block', 'ack', 'fileDone', 'filesDone', 'fileFailed', 'rewind', 'rewound']);

/** Messages that list every file (and an accept, every committed block digest): bounded by their
 *  schemas and LIMITS.maxMessageBytes, not by maxControlBytes. */
const LISTING_TYPES: ReadonlySet<string> = new Set(['offerPart', 'offer', 'accept']);

/** Parses and validates one text frame. Throws FerryError E_BAD_MESSAGE or E_LIMIT. */
export function parseMessage(text: string): Msg {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new FerryError(ErrorCode.BAD_MESSAGE, 'Control message is not valid JSON');
  }
  const type = typeof v === 'object' && v !== null ? (v as { t?: unknown }).t : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type)) {
    throw new FerryError(ErrorCode.BAD_MESSAGE, `Unknown control message type ${JSON.stringify(type)?.slice(0, 40)}`);
  }
  if (!LISTING_TYPES.has(type) && Buffer.byteLength(text) > LIMITS.maxControlBytes) {
    throw new FerryError(ErrorCode.LIMIT, `Control message ${type} is larger than ${LIMITS.maxControlBytes} bytes`);
  }
  const err = SCHEMAS[type as MsgType](v);
  if (err) throw new FerryError(ErrorCode.BAD_MESSAGE, `Invalid ${type} message: ${err}`);
  return v as Msg;
}
