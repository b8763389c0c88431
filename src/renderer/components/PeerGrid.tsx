// The device list. Subscribes to the sorted id list only; each card subscribes to its own peer.
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../hooks/useT';
import { usePeers } from '../store/peers';
import { AddPeerForm } from './AddPeerForm';
import { EmptyPeers } from './EmptyPeers';
import { PeerCard } from './PeerCard';

export function PeerGrid() {
  const order = usePeers(useShallow((s) => s.order));
  const t = useT();
  return (
    <section className="panel peers" aria-labelledby="peers-title">
      <header className="panel-head">
        <div>
          <h2 id="peers-title">{t('peers.title')}</h2>
          {order.length > 0 && <p className="muted">{t('peers.hint')}</p>}
        </div>
      </header>
      {order.length === 0 ? (
        <EmptyPeers />
      ) : (
        <>
          <ul className="peer-grid" aria-labelledby="peers-title">
            {order.map((fp) => (
              <PeerCard key={fp} fingerprint={fp} />
            ))}
          </ul>
          <AddPeerForm />
        </>
      )}
    </section>
  );
}
