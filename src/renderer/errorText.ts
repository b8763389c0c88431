// Every ErrorCode has a sentence in both dictionaries; unknown codes fall back to the engine's message.
import type { ErrorInfo } from '../shared/errors';
import type { MessageKey, T } from './i18n';
import { en } from './i18n/en';

export function errorText(t: T, error: ErrorInfo): string {
  const key = `error.${error.code}` as MessageKey;
  return key in en ? t(key) : error.message || t('error.E_INTERNAL');
}
