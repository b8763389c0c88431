// All transfers, newest first. Subscribes to the id list only.
import { useShallow } from 'zustand/react/shallow';
import { act } from '../api';
import { useT } from '../hooks/useT';
import { useTransfers } from '../store/transfers';
import { TransferRow } from './TransferRow';
import { isLive } from './transferText';

export function TransferList() {
  const ids = useTransfers(useShallow((s) => s.ids));
  const anyFinished = useTransfers((s) => s.ids.some((id) => !isLive(s.byId[id])));
  const anyMoving = useTransfers((s) => s.ids.some((id) => s.byId[id].state === 'transferring'));
  const t = useT();
  return (
    <section className="panel transfers" aria-labelledby="transfers-title">
      <header className="panel-head">
        <h2 id="transfers-title">{t('transfers.title')}</h2>
        <div className="panel-tools">
          {anyMoving && (
            <button type="button" className="button ghost small" onClick={() => void act('pauseAll')}>
              {t('transfers.pauseAll')}
            </button>
          )}
          {anyFinished && (
            <button type="button" className="button ghost small" onClick={() => void act('clearFinished')}>
              {t('transfers.clear')}
            </button>
          )}
        </div>
      </header>
      {ids.length === 0 ? (
        <p className="empty-small muted">{t('transfers.empty')}</p>
      ) : (
        <ul className="transfer-list">
          {ids.map((id) => (
            <TransferRow key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
