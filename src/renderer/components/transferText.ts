// The one-line state of a transfer, in words, for both directions.
import type { TransferSnapshot } from '../../shared/types';
import { errorText } from '../errorText';
import type { T } from '../i18n';

export function stateText(t: T, tr: TransferSnapshot): string {
  const name = tr.peer.name;
  const dir = tr.direction;
  switch (tr.state) {
    case 'awaiting-accept':
      return t(`state.awaiting-accept.${dir}`, { name });
    case 'transferring':
      return t(`state.transferring.${dir}`);
    case 'paused':
      return tr.pausedBy === 'remote' ? t('state.paused.remote', { name }) : t('state.paused.local');
    case 'reconnecting':
      return t('state.reconnecting', { name });
    case 'completed':
      return t(`state.completed.${dir}`);
    case 'rejected':
      return withCause(t, t(`state.rejected.${dir}`, { name }), tr, 'E_REJECTED');
    case 'cancelled':
      return withCause(t, t('state.cancelled'), tr, 'E_CANCELLED');
    case 'failed':
      return tr.error ? `${t('state.failed')}: ${errorText(t, tr.error)}` : t('state.failed');
  }
}

/** "Declined" is enough when a person declined; an automatic refusal (no space...) says why. */
function withCause(t: T, text: string, tr: TransferSnapshot, plain: string): string {
  return tr.error && tr.error.code !== plain ? `${text}: ${errorText(t, tr.error)}` : text;
}

export const isLive = (tr: TransferSnapshot): boolean =>
  tr.state === 'awaiting-accept' || tr.state === 'transferring' || tr.state === 'paused' || tr.state === 'reconnecting';

export function tone(tr: TransferSnapshot): string {
  if (tr.state === 'completed') return 'ok';
  if (tr.state === 'failed') return 'danger';
  if (tr.state === 'paused' || tr.state === 'reconnecting') return 'warn';
  if (tr.state === 'rejected' || tr.state === 'cancelled') return 'muted';
  return 'accent';
}
