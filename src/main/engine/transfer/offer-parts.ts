// The sender's half of an offer in parts (PROTOCOL.md section 2): the files a scan finds go out as
// `offerPart` messages on the connection being made beside it, so the receiver checks their names
// while the scan goes on instead of after it. The offer that follows lists only the files after them.
import { OFFER_PART_MAX } from '../../../shared/protocol';
import type { Connection } from '../transport/connection';
import type { OfferEntry } from '../protocol/messages';
import { offerEntryOf, type SourceFile } from './scan';

export class OfferParts {
  private conn: Connection | null = null;
  private queued: OfferEntry[] = [];
  /** Files sent in parts on `conn`, in scan order: the offer starts after them. */
  private sent = 0;

  /** dialing: the connection the offer will go on, while it is being made. */
  constructor(dialing: Promise<{ conn: Connection }>) {
    dialing.then(
      (d) => {
        this.conn = d.conn;
        this.flush();
      },
      () => undefined, // the offer's own dial reports it
    );
  }

  /** The next files of the scan. */
  add(files: readonly SourceFile[]): void {
    for (const f of files) this.queued.push(offerEntryOf(f));
    this.flush();
  }

  /** How many files conn already has in parts: 0 for any other connection (a new dial). */
  offeredOn(conn: Connection): number {
    this.flush();
    this.queued = []; // the offer lists the rest itself
    return conn === this.conn && conn.isOpen ? this.sent : 0;
  }

  private flush(): void {
    const conn = this.conn;
    while (conn?.isOpen && this.queued.length) {
      const files = this.queued.splice(0, OFFER_PART_MAX);
      conn.send({ t: 'offerPart', files });
      this.sent += files.length;
    }
  }
}
