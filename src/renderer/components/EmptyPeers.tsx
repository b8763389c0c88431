// No devices yet: say what to check, in order of likelihood, and offer add-by-address.
import { DISCOVERY_PORT } from '../../shared/protocol';
import { useT } from '../hooks/useT';
import { useApp } from '../store/app';
import { AddPeerForm } from './AddPeerForm';
import { WifiIcon } from './Icons';

export function EmptyPeers() {
  const t = useT();
  const hint = useApp((s) => s.discoveryHint);
  const tcpPort = useApp((s) => s.identity?.port);
  const ports = [...new Set([hint?.port ?? DISCOVERY_PORT, tcpPort].filter((p): p is number => !!p))].join(', ');
  return (
    <div className="empty" data-testid="peers-empty">
      <div className="radar" aria-hidden="true">
        <span />
        <span />
        <span />
        <WifiIcon className="icon icon-xl" />
      </div>
      <h3>{t('empty.title')}</h3>
      <p className="muted">{t('empty.lead')}</p>
      {hint && (
        <p className="notice notice-warn" role="status">
          {t('empty.hint', { port: hint.port })}
        </p>
      )}
      <ol className="checklist">
        <li>{t('empty.sameNetwork')}</li>
        <li>{t('empty.ferryOpen')}</li>
        <li>{t('empty.firewall', { port: ports })}</li>
        <li>{t('empty.isolation')}</li>
      </ol>
      {hint && hint.interfaces.length > 0 && <p className="muted small">{t('empty.interfaces', { list: hint.interfaces.join(', ') })}</p>}
      <AddPeerForm startOpen />
    </div>
  );
}
