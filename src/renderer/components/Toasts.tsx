// Notices in an aria-live region; errors are translated from their code at render time.
import { errorText } from '../errorText';
import { useT } from '../hooks/useT';
import { useToasts } from '../store/toasts';
import { CloseIcon, WarnIcon } from './Icons';

export function Toasts() {
  const t = useT();
  const list = useToasts((s) => s.list);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="region" aria-label={t('toast.region')} aria-live="polite">
      {list.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          {toast.kind === 'error' && <WarnIcon className="icon icon-sm" />}
          <span>
            {toast.error ? errorText(t, toast.error) : toast.text}
            {/* The engine's own words name the file or address; kept as a detail line. */}
            {toast.error?.message && <small className="toast-detail">{toast.error.message}</small>}
          </span>
          <button type="button" className="icon-button" aria-label={t('toast.close')} onClick={() => dismiss(toast.id)}>
            <CloseIcon className="icon icon-xs" />
          </button>
        </div>
      ))}
    </div>
  );
}
