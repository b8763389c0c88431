// Numbers for people: sizes, speeds, durations. Units stay the same in both languages.
import type { T } from './i18n';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  return `${v.toFixed(digits)} ${UNITS[i]}`;
}

export function formatDuration(t: T, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('time.s', { s });
  if (s < 3600) return t('time.ms', { m: Math.floor(s / 60), s: s % 60 });
  return t('time.hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export function percent(done: number, total: number): number {
  if (total <= 0) return done > 0 ? 100 : 0;
  return Math.min(100, Math.floor((done / total) * 100));
}

/** First and last groups of a hex fingerprint, enough for a person to compare. */
export function shortFingerprint(fp: string): string {
  const groups = fp.slice(0, 16).toUpperCase().match(/.{1,4}/g) ?? [];
  return groups.join(' ');
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
