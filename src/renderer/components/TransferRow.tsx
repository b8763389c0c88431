// One transfer. Subscribes to its own snapshot by id, so progress elsewhere never re-renders it.
import { memo, useState, type ReactNode } from 'react';
import { act } from '../api';
import { baseName, formatBytes, formatDuration, percent } from '../format';
import { useT } from '../hooks/useT';
import { formatPairingCode } from '../pairing';
import { useTransfers } from '../store/transfers';
import { TransferFiles } from './TransferFiles';
import { ChevronIcon, CloseIcon, DownIcon, PauseIcon, PlayIcon, RetryIcon, UpIcon } from './Icons';
import { ProgressBar } from './ProgressBar';
import { isLive, stateText, tone } from './transferText';

/** An icon button whose accessible name says what it does and to which transfer. */
function Action(props: { text: string; label: (action: string) => string; icon: ReactNode; run: () => Promise<unknown>; danger?: boolean }) {
  return (
    <button type="button" className={`icon-button ${props.danger ? 'danger' : ''}`} aria-label={props.label(props.text)} title={props.text} onClick={() => void props.run()}>
      {props.icon}
    </button>
  );
}

/** While the receiver decides, the sender sees the code the receiver is asked to compare. */
function PairingHint({ code, name }: { code: string; name: string }) {
  const t = useT();
  return (
    <p className="pairing-hint small">
      {t('transfer.pairing', { name })} <strong className="pairing-inline" data-testid="sender-pairing-code">{formatPairingCode(code)}</strong>
    </p>
  );
}

export const TransferRow = memo(function TransferRow({ id }: { id: string }) {
  const tr = useTransfers((s) => s.byId[id]);
  const t = useT();
  const [open, setOpen] = useState(false);
  if (!tr) return null;

  const name = tr.peer.name;
  const pct = tr.state === 'completed' ? 100 : percent(tr.bytesDone, tr.totalBytes);
  const live = isLive(tr);
  const moving = tr.state === 'transferring';
  const canPause = tr.state === 'transferring' || tr.state === 'reconnecting';
  const canResume = tr.state === 'paused' && tr.pausedBy !== 'remote';
  const canRetry = (tr.state === 'failed' || tr.state === 'cancelled') && tr.direction === 'out';
  const label = (action: string): string => t('transfer.actionLabel', { action, name });
  const filesId = `files-${tr.id}`;

  return (
    <li className={`transfer tone-${tone(tr)}`} data-transfer={tr.id} data-state={tr.state}>
      <div className="transfer-head">
        <span className={`dir dir-${tr.direction}`} title={tr.direction === 'out' ? t('transfer.sending') : t('transfer.receiving')}>
          {tr.direction === 'out' ? <UpIcon className="icon icon-sm" /> : <DownIcon className="icon icon-sm" />}
        </span>
        <div className="transfer-title">
          <strong>{tr.direction === 'out' ? t('transfer.to', { name }) : t('transfer.from', { name })}</strong>
          <span className="muted small file-name">{tr.files.length === 1 ? baseName(tr.files[0].path) : t.plural('transfer.items', tr.files.length)}</span>
        </div>
        <div className="transfer-actions">
          {canPause && <Action label={label} text={t('transfer.pause')} icon={<PauseIcon className="icon icon-sm" />} run={() => act('pauseTransfer', tr.id)} />}
          {canResume && <Action label={label} text={t('transfer.resume')} icon={<PlayIcon className="icon icon-sm" />} run={() => act('resumeTransfer', tr.id)} />}
          {canRetry && <Action label={label} text={t('transfer.retry')} icon={<RetryIcon className="icon icon-sm" />} run={() => act('retryTransfer', tr.id)} />}
          {live && <Action label={label} text={t('transfer.cancel')} icon={<CloseIcon className="icon icon-sm" />} run={() => act('cancelTransfer', tr.id)} danger />}
        </div>
      </div>
      <ProgressBar value={pct} label={t('transfer.progress', { name })} tone={tone(tr)} />
      <div className="transfer-stats">
        <span className="state-text" data-testid="state-text">
          {stateText(t, tr)}
        </span>
        <span className="muted small nums">
          {t('transfer.bytes', { done: formatBytes(tr.bytesDone), total: formatBytes(tr.totalBytes) })}
          {moving && tr.speed > 0 && <> · {t('transfer.speed', { speed: formatBytes(tr.speed) })}</>}
          {moving && tr.eta !== null && <> · {t('transfer.eta', { time: formatDuration(t, tr.eta) })}</>}
        </span>
      </div>
      <button type="button" className="disclosure" aria-expanded={open} aria-controls={filesId} onClick={() => setOpen(!open)}>
        <ChevronIcon className="icon icon-xs" />
        {open ? t('transfer.hideFiles') : t('transfer.showFiles')}
      </button>
      {tr.direction === 'out' && tr.state === 'awaiting-accept' && <PairingHint code={tr.pairingCode} name={name} />}
      {open && <TransferFiles id={filesId} transfer={tr} />}
    </li>
  );
});
