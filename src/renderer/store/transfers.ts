// Transfers by id plus an id list (newest first). Progress deltas touch only their own transfer,
// so the list (subscribed to ids) does not re-render while bytes move.
import { create } from 'zustand';
import type { TransferProgress, TransferSnapshot } from '../../shared/types';

interface TransfersState {
  byId: Record<string, TransferSnapshot>;
  ids: string[];
}

export const useTransfers = create<TransfersState>(() => ({ byId: {}, ids: [] }));

const newestFirst = (byId: Record<string, TransferSnapshot>) => (a: string, b: string) =>
  byId[b].createdAt - byId[a].createdAt || a.localeCompare(b);

export function setTransfers(list: TransferSnapshot[]): void {
  const byId = Object.fromEntries(list.map((t) => [t.id, t]));
  useTransfers.setState({ byId, ids: Object.keys(byId).sort(newestFirst(byId)) });
}

export function upsertTransfer(t: TransferSnapshot): void {
  useTransfers.setState((s) => {
    // Events buffered during start-up may be older than the snapshot: never go back in time.
    if (s.byId[t.id] && s.byId[t.id].updatedAt > t.updatedAt) return s;
    const byId = { ...s.byId, [t.id]: t };
    const ids = s.byId[t.id] ? s.ids : [...s.ids, t.id].sort(newestFirst(byId));
    return { byId, ids };
  });
}

export function applyProgress(p: TransferProgress): void {
  useTransfers.setState((s) => {
    const prev = s.byId[p.id];
    if (!prev) return s;
    let files = prev.files;
    if (p.files.length) {
      files = prev.files.slice();
      for (const f of p.files) {
        const at = files[f.index]?.index === f.index ? f.index : files.findIndex((x) => x.index === f.index);
        if (at >= 0) files[at] = { ...files[at], bytesDone: f.bytesDone, state: f.state };
      }
    }
    const next = { ...prev, bytesDone: p.bytesDone, speed: p.speed, eta: p.eta, files };
    return { byId: { ...s.byId, [p.id]: next } };
  });
}

export function removeTransfer(id: string): void {
  useTransfers.setState((s) => {
    if (!s.byId[id]) return s;
    const byId = { ...s.byId };
    delete byId[id];
    return { byId, ids: s.ids.filter((x) => x !== id) };
  });
}
