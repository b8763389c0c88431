// Semantic checks of an incoming offer beyond its schema: sizes add up, every name is safe for
// this OS, no duplicates, nothing is both a file and a folder. Throws E_BAD_MESSAGE / E_BAD_NAME / E_LIMIT.
// An offer may arrive in parts (PROTOCOL.md section 2): each part is checked as it comes, while
// the sender is still scanning, and the offer that ends them only adds its own files and totals.
import { ErrorCode, FerryError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import type { MsgOf, OfferEntry } from '../protocol/messages';
import { validateOfferedPath } from '../util/safe-names';

export interface CheckedOffer {
  /** The whole offer: its parts' files first, then its own. */
  offer: MsgOf<'offer'>;
  /** Safe relative target path per offered file. */
  targets: string[];
  /** Safe relative paths of the empty folders. */
  dirs: string[];
}

/** The files of one offer, checked part by part. */
export class OfferCheck {
  private readonly files: OfferEntry[] = [];
  private readonly targets: string[] = [];
  private readonly keys = new Set<string>();
  private readonly folders = new Set<string>();
  private total = 0;

  /** The files of one `offerPart` (or of the offer itself). */
  add(files: readonly OfferEntry[]): void {
    this.limit(files.length);
    for (const f of files) {
      const target = validateOfferedPath(f.path);
      const k = key(target);
      if (this.keys.has(k)) throw new FerryError(ErrorCode.BAD_NAME, `The offer lists ${JSON.stringify(target)} twice`);
      this.keys.add(k);
      addParents(this.folders, k);
      this.files.push(f);
      this.targets.push(target);
      this.total += f.size;
    }
  }

  /** The offer that ends the parts: its files, its empty folders, and the totals of them all. */
  finish(offer: MsgOf<'offer'>): CheckedOffer {
    this.add(offer.files);
    const dirsIn = offer.dirs ?? [];
    this.limit(dirsIn.length);
    if (this.total !== offer.totalBytes) throw new FerryError(ErrorCode.BAD_MESSAGE, 'The offer total does not match its file sizes');
    const dirs = dirsIn.map((d) => validateOfferedPath(d));
    for (const d of dirs) {
      const k = key(d);
      this.folders.add(k);
      addParents(this.folders, k);
    }
    for (const f of this.keys) {
      if (this.folders.has(f)) throw new FerryError(ErrorCode.BAD_NAME, `The offer uses ${JSON.stringify(f)} both as a file and as a folder`);
    }
    const whole = this.files.length === offer.files.length ? offer : { ...offer, files: this.files };
    return { offer: whole, targets: this.targets, dirs };
  }

  private limit(more: number): void {
    if (this.files.length + more > LIMITS.maxOfferEntries) {
      throw new FerryError(ErrorCode.LIMIT, `The offer lists more than ${LIMITS.maxOfferEntries} entries`);
    }
  }
}

/** An offer that came in one message. */
export function checkOffer(offer: MsgOf<'offer'>): CheckedOffer {
  return new OfferCheck().finish(offer);
}

/** Every folder above path k: "a/b/c" adds "a" and "a/b". A parent already there brought its own. */
function addParents(folders: Set<string>, k: string): void {
  const last = k.lastIndexOf('/');
  if (last === -1 || folders.has(k.slice(0, last))) return;
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
