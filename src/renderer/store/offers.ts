// Incoming offers waiting for an answer, oldest first: the dialog shows the first one.
import { create } from 'zustand';
import type { IncomingOffer } from '../../shared/types';

interface OffersState {
  list: IncomingOffer[];
}

export const useOffers = create<OffersState>(() => ({ list: [] }));

export const setOffers = (list: IncomingOffer[]): void => useOffers.setState({ list });

export function addOffer(offer: IncomingOffer): void {
  useOffers.setState((s) => ({ list: [...s.list.filter((o) => o.transferId !== offer.transferId), offer] }));
}

export function closeOffer(transferId: string): void {
  useOffers.setState((s) => ({ list: s.list.filter((o) => o.transferId !== transferId) }));
}
