// Feeds the stores: subscribe to events first (buffering), load the snapshot, then replay.
// Nothing is lost between the snapshot and the first event.
import type { ApiEventName, ApiEvents, AppSnapshot } from '../../shared/api';
import { call } from '../api';
import { useApp } from './app';
import { addOffer, closeOffer, setOffers } from './offers';
import { removePeer, setPeers, upsertPeer } from './peers';
import { applyProgress, removeTransfer, setTransfers, upsertTransfer } from './transfers';

type Handlers = { [E in ApiEventName]: (payload: ApiEvents[E]) => void };

const handlers: Handlers = {
  peerUpserted: upsertPeer,
  peerRemoved: (p) => removePeer(p.fingerprint),
  devicesChanged: (devices) => useApp.setState({ devices }),
  transferUpserted: upsertTransfer,
  transferProgress: applyProgress,
  transferRemoved: (p) => removeTransfer(p.id),
  offerReceived: addOffer,
  offerClosed: (p) => closeOffer(p.transferId),
  settingsChanged: (settings) => useApp.setState({ settings }),
  discoveryHint: (discoveryHint) => useApp.setState({ discoveryHint }),
};

export function applySnapshot(s: AppSnapshot): void {
  setPeers(s.peers);
  setTransfers(s.transfers);
  setOffers(s.offers);
  useApp.setState({
    phase: 'ready',
    identity: s.identity,
    settings: s.settings,
    devices: s.devices,
    discoveryHint: s.discoveryHint,
    // The page's own prefers-color-scheme is what Chromium renders with; trust it over the snapshot.
    system: { language: s.system.language, dark: window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? s.system.dark },
  });
}

/** Connects the stores to window.ferry; returns a function that unsubscribes everything. */
export async function connect(): Promise<() => void> {
  let buffer: (() => void)[] | null = [];
  const on = window.ferry.on as (name: ApiEventName, handler: (payload: unknown) => void) => () => void;
  const offs = (Object.keys(handlers) as ApiEventName[]).map((name) =>
    on(name, (payload) => {
      const run = (): void => (handlers[name] as (p: unknown) => void)(payload);
      if (buffer) buffer.push(run);
      else run();
    }),
  );
  const r = await call('getSnapshot');
  if (r.ok) applySnapshot(r.value);
  else useApp.setState({ phase: 'failed', loadError: r.error.message });
  const pending = buffer;
  buffer = null;
  for (const run of pending) run();
  return () => offs.forEach((off) => off());
}
