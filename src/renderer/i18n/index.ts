// A tiny i18n: two dictionaries, {placeholder} interpolation, _one/_other plurals. No dependency.
import type { Settings } from '../../shared/types';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Lang = 'en' | 'zh-CN';
export type { MessageKey };
export type Vars = Record<string, string | number>;

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** 'system' follows the OS language; any Chinese locale maps to Simplified Chinese, the rest to English. */
export function resolveLang(setting: Settings['language'] | undefined, osLanguage: string): Lang {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return osLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text: string = dictionaries[lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Picks key_one or key_other by count (both languages only need these two forms). */
export function plural(lang: Lang, base: string, count: number, vars?: Vars): string {
  const key = `${base}_${count === 1 ? 'one' : 'other'}` as MessageKey;
  return translate(lang, key, { count, ...vars });
}

export type T = ((key: MessageKey, vars?: Vars) => string) & {
  lang: Lang;
  plural: (base: string, count: number, vars?: Vars) => string;
};

export function makeT(lang: Lang): T {
  const t = ((key: MessageKey, vars?: Vars) => translate(lang, key, vars)) as T;
  t.lang = lang;
  t.plural = (base, count, vars) => plural(lang, base, count, vars);
  return t;
}
