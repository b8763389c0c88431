// The texts of the OS notifications: an offer waiting for an answer, and a finished transfer.
import type { IncomingOffer, TransferSnapshot } from '../../../shared/types';

export interface Note {
  title: string;
  body: string;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

const files = (n: number) => (n === 1 ? '1 file' : `${n} files`);

export function offerNote(o: IncomingOffer): Note {
  return {
    title: `${o.peer.name} wants to send you ${files(o.files.length)}`,
    body: `${formatBytes(o.totalBytes)} — open Ferry to accept or decline.`,
  };
}

/** Null for states nobody needs to be told about (the user did it themselves). */
export function finishedNote(t: TransferSnapshot): Note | null {
  const n = files(t.files.length);
  const toFrom = t.direction === 'in' ? `from ${t.peer.name}` : `to ${t.peer.name}`;
  if (t.state === 'completed') {
    return { title: t.direction === 'in' ? `Received ${n} ${toFrom}` : `Sent ${n} ${toFrom}`, body: formatBytes(t.totalBytes) };
  }
  if (t.state === 'failed') return { title: `Transfer ${toFrom} failed`, body: t.error?.message ?? 'Unknown error.' };
  if (t.state === 'rejected' && t.direction === 'out') return { title: `${t.peer.name} declined ${n}`, body: '' };
  return null;
}
