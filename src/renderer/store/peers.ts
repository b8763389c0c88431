// Peers by fingerprint plus a sorted id list. The grid subscribes to the list, each card to its peer.
import { create } from 'zustand';
import type { Peer } from '../../shared/types';

interface PeersState {
  byFp: Record<string, Peer>;
  order: string[];
}

export const usePeers = create<PeersState>(() => ({ byFp: {}, order: [] }));

/** Online first, then by name: stable so cards do not jump while bytes move. */
function sortOrder(byFp: Record<string, Peer>): string[] {
  return Object.values(byFp)
    .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name) || a.fingerprint.localeCompare(b.fingerprint))
    .map((p) => p.fingerprint);
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function setPeers(peers: Peer[]): void {
  const byFp = Object.fromEntries(peers.map((p) => [p.fingerprint, p]));
  usePeers.setState({ byFp, order: sortOrder(byFp) });
}

export function upsertPeer(peer: Peer): void {
  usePeers.setState((s) => {
    const byFp = { ...s.byFp, [peer.fingerprint]: peer };
    const order = sortOrder(byFp);
    return { byFp, order: sameIds(order, s.order) ? s.order : order };
  });
}

export function removePeer(fingerprint: string): void {
  usePeers.setState((s) => {
    if (!s.byFp[fingerprint]) return s;
    const byFp = { ...s.byFp };
    delete byFp[fingerprint];
    return { byFp, order: s.order.filter((f) => f !== fingerprint) };
  });
}
