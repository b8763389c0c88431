// App-wide state from the snapshot: who we are, settings, known devices, OS hints, current view.
import { create } from 'zustand';
import type { AppSnapshot, DiscoveryHint } from '../../shared/api';
import type { Identity, KnownDevice, Settings } from '../../shared/types';
import { resolveLang, type Lang } from '../i18n';

export type View = 'home' | 'settings';
export type Phase = 'loading' | 'ready' | 'failed';

interface AppState {
  phase: Phase;
  loadError: string | null;
  identity: Identity | null;
  settings: Settings | null;
  devices: KnownDevice[];
  discoveryHint: DiscoveryHint | null;
  system: AppSnapshot['system'];
  /** navigator.onLine, kept current by window events. */
  online: boolean;
  view: View;
}

export const useApp = create<AppState>(() => ({
  phase: 'loading',
  loadError: null,
  identity: null,
  settings: null,
  devices: [],
  discoveryHint: null,
  system: { language: typeof navigator === 'undefined' ? 'en' : navigator.language, dark: false },
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  view: 'home',
}));

export const setView = (view: View): void => useApp.setState({ view });

/** The language in effect: the setting, or the OS language when 'system'. */
export const selectLang = (s: AppState): Lang =>
  resolveLang(s.settings?.language, s.system.language || (typeof navigator === 'undefined' ? 'en' : navigator.language));

/** The theme in effect. 'system' follows prefers-color-scheme (kept in system.dark). */
export const selectDark = (s: AppState): boolean => {
  const theme = s.settings?.theme ?? 'system';
  return theme === 'system' ? s.system.dark : theme === 'dark';
};
