// Devices whose offers are accepted without asking (policy 'trusted'); Untrust removes them.
import { useShallow } from 'zustand/react/shallow';
import { act } from '../api';
import { shortFingerprint } from '../format';
import { useT } from '../hooks/useT';
import { useApp } from '../store/app';
import { ShieldIcon } from './Icons';

export function TrustedDevices() {
  const t = useT();
  const trusted = useApp(useShallow((s) => s.devices.filter((d) => d.trusted)));
  return (
    <div className="field">
      <span className="field-label" id="trusted-label">
        {t('settings.trusted')}
      </span>
      {trusted.length === 0 ? (
        <p className="muted small">{t('settings.trustedEmpty')}</p>
      ) : (
        <ul className="trusted-list" aria-labelledby="trusted-label">
          {trusted.map((d) => (
            <li key={d.fingerprint}>
              <ShieldIcon className="icon icon-sm ok" />
              <span className="trusted-name">
                {d.name}
                <span className="muted small mono">{shortFingerprint(d.fingerprint)}</span>
              </span>
              <button type="button" className="button small" aria-label={t('settings.untrustLabel', { name: d.name })} onClick={() => void act('untrustDevice', d.fingerprint)}>
                {t('settings.untrust')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
