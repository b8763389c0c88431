// Semantic checks of an incoming offer beyond its schema: sizes add up, every name is safe for
// this OS, no duplicates, nothing is both a file and a folder. Throws E_BAD_MESSAGE / E_BAD_NAME / E_LIMIT.
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import type { MsgOf } from '../protocol/messages';
import { validateOfferedPath } from '../util/safe-names';

export interface CheckedOffer {
  /** Safe relative target path per offered file. */
  targets: string[];
  /** Safe relative paths of the empty folders. */
  dirs: string[];
}

export function checkOffer(offer: MsgOf<'offer'>): CheckedOffer {
  const dirsIn = offer.dirs ?? [];
  if (offer.files.length + dirsIn.length > LIMITS.maxOfferEntries) {
    throw new FerryError(ErrorCode.LIMIT, `The offer lists more than ${LIMITS.maxOfferEntries} entries`);
  }
  const total = offer.files.reduce((n, f) => n + f.size, 0);
  if (total !== offer.totalBytes) throw new FerryError(ErrorCode.BAD_MESSAGE, 'The offer total does not match its file sizes');
  const targets = offer.files.map((f) => validateOfferedPath(f.path));
  const dirs = dirsIn.map((d) => validateOfferedPath(d));
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const t of targets) {
    const k = key(t);
    if (files.has(k)) throw new FerryError(ErrorCode.BAD_NAME, `The offer lists ${JSON.stringify(t)} twice`);
    files.add(k);
    addParents(folders, k);
  }
  for (const d of dirs) {
    const k = key(d);
    folders.add(k);
    addParents(folders, k);
  }
  for (const f of files) {
    if (folders.has(f)) throw new FerryError(ErrorCode.BAD_NAME, `The offer uses ${JSON.stringify(f)} both as a file and as a folder`);
  }
  return { targets, dirs };
}

/** Every folder above path k: "a/b/c" adds "a" and "a/b". */
function addParents(folders: Set<string>, k: string): void {
  for (let i = k.indexOf('/'); i !== -1; i = k.indexOf('/', i + 1)) folders.add(k.slice(0, i));
}

const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';
/** Printable ASCII is already in NFC: the common name skips the normalizer. */
const ASCII = /^[\x20-\x7e]*$/;

/** Case-folded where the disk ignores case, so two names that would collide there are caught. */
function key(p: string): string {
  const n = ASCII.test(p) ? p : p.normalize('NFC');
  return CASE_INSENSITIVE ? n.toLowerCase() : n;
}
