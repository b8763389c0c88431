// Keeps the document in step with the OS and settings: theme, language, online state.
import { selectDark, selectLang, useApp } from './store/app';

function applyDocument(): void {
  const s = useApp.getState();
  const root = document.documentElement;
  root.dataset.theme = selectDark(s) ? 'dark' : 'light';
  root.lang = selectLang(s);
}

export function watchEnvironment(): void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  useApp.setState((s) => ({ system: { ...s.system, dark: media.matches } }));
  media.addEventListener('change', (e) => useApp.setState((s) => ({ system: { ...s.system, dark: e.matches } })));
  window.addEventListener('online', () => useApp.setState({ online: true }));
  window.addEventListener('offline', () => useApp.setState({ online: false }));
  // A file dropped outside a device card must not make the window navigate to it.
  for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());
  useApp.subscribe(applyDocument);
  applyDocument();
}
