import { useMemo } from 'react';
import { selectLang, useApp } from '../store/app';
import { makeT, type T } from '../i18n';

/** The translate function for the language in effect; components re-render when it changes. */
export function useT(): T {
  const lang = useApp(selectLang);
  return useMemo(() => makeT(lang), [lang]);
}
