// Thin helpers over window.ferry: calls that report failures to the user instead of throwing.
import type { ApiCallName, ApiCalls, Result } from '../shared/api';
import { useToasts } from './store/toasts';

/** Calls the API; a transport failure (rejected promise) becomes an E_INTERNAL result. */
export async function call<C extends ApiCallName>(name: C, ...args: ApiCalls[C][0]): Promise<Result<ApiCalls[C][1]>> {
  try {
    const fn = window.ferry[name] as (...a: ApiCalls[C][0]) => Promise<Result<ApiCalls[C][1]>>;
    return await fn(...args);
  } catch (err) {
    return { ok: false, error: { code: 'E_INTERNAL', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Calls the API and shows a toast when it fails; resolves to the value or undefined. */
export async function act<C extends ApiCallName>(name: C, ...args: ApiCalls[C][0]): Promise<ApiCalls[C][1] | undefined> {
  const r = await call(name, ...args);
  if (r.ok) return r.value;
  useToasts.getState().showError(r.error);
  return undefined;
}
