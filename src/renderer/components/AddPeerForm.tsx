// "Add by address": for networks where discovery cannot work (guest Wi-Fi, VLANs, VPNs).
import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_PORT } from '../../shared/protocol';
import { call } from '../api';
import { errorText } from '../errorText';
import { useT } from '../hooks/useT';
import { useToasts } from '../store/toasts';
import { PlusIcon } from './Icons';

export function AddPeerForm({ startOpen = false }: { startOpen?: boolean }) {
  const t = useT();
  const id = useId();
  const [open, setOpen] = useState(startOpen);
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!open) {
    return (
      <button type="button" className="button ghost add-open" onClick={() => setOpen(true)}>
        <PlusIcon className="icon icon-sm" />
        {t('add.open')}
      </button>
    );
  }

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const value = address.trim();
    if (!value) {
      setError(t('add.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    const r = await call('addPeer', value);
    setBusy(false);
    if (r.ok) {
      setAddress('');
      useToasts.getState().showInfo(t('add.added', { name: r.value.name }));
      if (!startOpen) setOpen(false);
    } else {
      setError(t('add.failed', { address: value, reason: errorText(t, r.error) }));
    }
  };

  return (
    <form className="add-peer" onSubmit={(e) => void submit(e)} aria-busy={busy}>
      <label htmlFor={`${id}-addr`}>{t('add.label')}</label>
      <div className="add-row">
        <input
          id={`${id}-addr`}
          name="address"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('add.placeholder', { port: DEFAULT_PORT })}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          disabled={busy}
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('add.busy') : t('add.submit')}
        </button>
        {!startOpen && (
          <button type="button" className="button ghost" onClick={() => setOpen(false)}>
            {t('add.cancel')}
          </button>
        )}
      </div>
      {error && (
        <p id={`${id}-err`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
