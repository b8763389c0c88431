// Settings: each control saves at once through updateSettings; the engine echoes settingsChanged.
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { AcceptPolicy, DeviceType, Settings as SettingsT } from '../../shared/types';
import { act } from '../api';
import { shortFingerprint } from '../format';
import { useT } from '../hooks/useT';
import type { MessageKey } from '../i18n';
import { useApp } from '../store/app';
import { useToasts } from '../store/toasts';
import { TrustedDevices } from './TrustedDevices';

const save = (patch: Partial<SettingsT>): void => {
  // Apply locally first so theme/language switch instantly; the result replaces it.
  useApp.setState((s) => (s.settings ? { settings: { ...s.settings, ...patch } } : s));
  void act('updateSettings', patch).then((settings) => settings && useApp.setState({ settings }));
};

function Radios<V extends string>(props: { name: string; legend: string; value: V; options: [V, string][]; onChange: (v: V) => void; help?: ReactNode }) {
  return (
    <fieldset className="field">
      <legend>{props.legend}</legend>
      <div className={`radios ${props.options.length <= 3 && props.options.every(([, l]) => l.length < 16) ? 'segmented' : ''}`}>
        {props.options.map(([v, label]) => (
          <label key={v} className={`radio ${props.value === v ? 'is-checked' : ''}`}>
            <input type="radio" name={props.name} value={v} checked={props.value === v} onChange={() => props.onChange(v)} />
            <span>{label}</span>
          </label>
        ))}
      </div>
      {props.help}
    </fieldset>
  );
}

function NameField({ value }: { value: string }) {
  const t = useT();
  const id = useId();
  const [name, setName] = useState(value);
  useEffect(() => setName(value), [value]);
  const commit = (): void => {
    const v = name.trim();
    if (v && v !== value) {
      save({ deviceName: v });
      useToasts.getState().showInfo(t('settings.nameSaved'));
    } else setName(value);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{t('settings.name')}</label>
      <input
        id={id}
        type="text"
        value={name}
        maxLength={64}
        onChange={(e) => setName(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-describedby={`${id}-help`}
      />
      <p id={`${id}-help`} className="muted small">
        {t('settings.nameHelp')}
      </p>
    </div>
  );
}

export function Settings() {
  const t = useT();
  const settings = useApp((s) => s.settings);
  const identity = useApp((s) => s.identity);
  if (!settings) return null;
  const opts = <V extends string>(prefix: string, values: V[]): [V, string][] => values.map((v) => [v, t(`${prefix}.${v}` as MessageKey)]);

  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <header className="panel-head">
        <h2 id="settings-title">{t('settings.title')}</h2>
      </header>

      <div className="settings-group">
        <h3>{t('settings.device')}</h3>
        <NameField value={settings.deviceName} />
        <Radios<DeviceType> name="deviceType" legend={t('settings.type')} value={settings.deviceType} options={opts('device', ['desktop', 'laptop', 'server'])} onChange={(deviceType) => save({ deviceType })} />
        <div className="field">
          <span className="field-label" id="dl-label">
            {t('settings.downloads')}
          </span>
          <div className="path-row">
            <code className="path" aria-labelledby="dl-label" data-testid="download-dir">
              {settings.downloadDir}
            </code>
            <button type="button" className="button" onClick={() => void act('pickDownloadDir').then((s) => s && useApp.setState({ settings: s }))}>
              {t('settings.change')}
            </button>
          </div>
          <p className="muted small">{t('settings.downloadsHelp')}</p>
        </div>
        {identity && (
          <p className="muted small">
            {t('settings.fingerprint')}: <span className="mono">{shortFingerprint(identity.fingerprint)}</span>
          </p>
        )}
      </div>

      <div className="settings-group">
        <Radios<AcceptPolicy>
          name="acceptPolicy"
          legend={t('settings.policy')}
          value={settings.acceptPolicy}
          options={opts('settings.policy', ['ask', 'trusted', 'all'])}
          onChange={(acceptPolicy) => save({ acceptPolicy })}
          help={settings.acceptPolicy === 'all' && <p className="notice notice-warn small">{t('settings.policy.allWarning')}</p>}
        />
        <TrustedDevices />
      </div>

      <div className="settings-group">
        <h3>{t('settings.appearance')}</h3>
        <Radios<SettingsT['theme']> name="theme" legend={t('settings.theme')} value={settings.theme} options={opts('settings.theme', ['system', 'light', 'dark'])} onChange={(theme) => save({ theme })} />
        <Radios<SettingsT['language']>
          name="language"
          legend={t('settings.language')}
          value={settings.language}
          options={[
            ['system', t('settings.language.system')],
            ['en', 'English'],
            ['zh-CN', '简体中文'],
          ]}
          onChange={(language) => save({ language })}
        />
      </div>
    </section>
  );
}
