// An incoming offer: who (name, device ID, pairing code, new/changed warnings), what (files, sizes),
// and the answer (all or some files, decline, trust). Modal, focus-trapped, Esc declines.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { IncomingOffer } from '../../shared/types';
import { call } from '../api';
import { formatBytes, shortFingerprint } from '../format';
import { useFocusTrap } from '../hooks/useFocusTrap';
import { useT } from '../hooks/useT';
import { formatPairingCode } from '../pairing';
import { closeOffer, useOffers } from '../store/offers';
import { useToasts } from '../store/toasts';
import { FileIcon, WarnIcon } from './Icons';
import { VirtualList } from './VirtualList';

const ROW_HEIGHT = 36;

export function OfferDialogHost() {
  const offer = useOffers((s) => s.list[0]);
  const waiting = useOffers((s) => s.list.length - 1);
  if (!offer) return null;
  // key: a new offer gets fresh checkboxes and focus.
  return <OfferDialog key={offer.transferId} offer={offer} waiting={waiting} />;
}

function OfferDialog({ offer, waiting }: { offer: IncomingOffer; waiting: number }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const acceptRef = useRef<HTMLButtonElement>(null);
  const [selected, setSelected] = useState<boolean[]>(() => offer.files.map(() => true));
  const [trust, setTrust] = useState(false);
  const [busy, setBusy] = useState(false);

  const chosen = useMemo(() => selected.flatMap((on, i) => (on ? [i] : [])), [selected]);
  const chosenBytes = useMemo(() => chosen.reduce((sum, i) => sum + offer.files[i].size, 0), [chosen, offer.files]);
  const all = chosen.length === offer.files.length;

  const answer = useCallback(
    async (accept: boolean): Promise<void> => {
      if (busy) return; // Esc or a double click while the answer is on its way
      setBusy(true);
      const decision = accept ? { accept, trust, ...(all ? {} : { files: chosen }) } : { accept, trust: false };
      const r = await call('respondToOffer', offer.transferId, decision);
      if (r.ok || r.error.code === 'E_NOT_FOUND') {
        // The engine also sends offerClosed; closing here keeps the UI snappy if it is slow.
        // NOT_FOUND: the offer is gone already (the sender cancelled); nothing left to answer.
        closeOffer(offer.transferId);
        return;
      }
      useToasts.getState().showError(r.error);
      setBusy(false);
    },
    [offer.transferId, trust, all, chosen, busy],
  );
  const decline = useCallback(() => void answer(false), [answer]);
  useFocusTrap(ref, decline, acceptRef);

  const toggle = (i: number): void => setSelected((s) => s.map((v, j) => (j === i ? !v : v)));
  const toggleAll = (): void => setSelected(offer.files.map(() => !all));
  const name = offer.peer.name;

  return (
    <div className="overlay">
      <div ref={ref} className="dialog" role="dialog" aria-modal="true" aria-labelledby="offer-title" aria-describedby="offer-summary">
        <h2 id="offer-title">{t('offer.title', { name })}</h2>
        <p id="offer-summary" className="muted">
          {t.plural('offer.files', offer.files.length, { size: formatBytes(offer.totalBytes) })}
        </p>

        {offer.fingerprintChanged ? (
          <p className="notice notice-danger" role="alert">
            <WarnIcon className="icon icon-sm" />
            <span>{t('offer.changed', { name })}</span>
          </p>
        ) : (
          offer.newDevice && (
            <p className="notice notice-warn" data-testid="offer-new-device">
              <WarnIcon className="icon icon-sm" />
              <span>{t('offer.newDevice')}</span>
            </p>
          )
        )}

        <dl className="identity">
          <div>
            <dt>{t('offer.pairing')}</dt>
            <dd className="pairing" data-testid="pairing-code">
              {formatPairingCode(offer.pairingCode)}
            </dd>
          </div>
          <div>
            <dt>{t('offer.fingerprint')}</dt>
            <dd className="mono">{shortFingerprint(offer.peer.fingerprint)}</dd>
          </div>
        </dl>
        <p className="muted small">{t('offer.pairingHelp')}</p>

        <div className="offer-files">
          <label className="check select-all">
            <input type="checkbox" checked={all} onChange={toggleAll} />
            <span>{t('offer.selectAll')}</span>
            <span className="muted small push">
              {t('offer.selected', { count: chosen.length, total: offer.files.length, size: formatBytes(chosenBytes) })}
            </span>
          </label>
          <VirtualList
            className="file-checklist"
            count={offer.files.length}
            rowHeight={ROW_HEIGHT}
            maxRows={6}
            label={t('offer.selectAll')}
            renderRow={(i) => {
              const f = offer.files[i];
              return (
                <li key={i} className="vrow">
                  <label className="check">
                    <input type="checkbox" checked={selected[i]} onChange={() => toggle(i)} aria-label={t('offer.fileLabel', { name: f.path })} />
                    <FileIcon className="icon icon-sm muted" />
                    <span className="file-name" title={f.path}>
                      {f.path}
                    </span>
                    <span className="muted small push">{formatBytes(f.size)}</span>
                  </label>
                </li>
              );
            }}
          />
        </div>

        <label className="check trust">
          <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} />
          <span>{t('offer.trust')}</span>
        </label>

        <div className="dialog-actions">
          {waiting > 0 && <span className="muted small">{t('offer.queue', { count: waiting })}</span>}
          <button type="button" className="button" onClick={decline} disabled={busy}>
            {t('offer.decline')}
          </button>
          <button ref={acceptRef} type="button" className="button primary" onClick={() => void answer(true)} disabled={busy || chosen.length === 0}>
            {t('offer.accept')}
          </button>
        </div>
      </div>
    </div>
  );
}
