// Builds the FerryApi object from three primitives, so its shape (one function per call,
// events only from the contract) is tested without Electron.
import type { ApiCallName, ApiEventName, ApiEvents, DroppedFile, FerryApi, Result } from '../shared/api';

export interface ApiTransport {
  calls: readonly ApiCallName[];
  events: readonly ApiEventName[];
  invoke(name: ApiCallName, args: unknown[]): Promise<Result<unknown>>;
  subscribe<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void;
  pathForFile(file: DroppedFile): string;
}

export function buildApi(t: ApiTransport): FerryApi {
  const api: Record<string, unknown> = {};
  for (const name of t.calls) api[name] = (...args: unknown[]) => t.invoke(name, args);
  api.on = <E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void) => {
    if (!t.events.includes(event)) throw new Error(`Unknown Ferry event: ${String(event)}`);
    if (typeof handler !== 'function') throw new Error('A Ferry event handler must be a function');
    return t.subscribe(event, handler);
  };
  api.getPathForFile = (file: DroppedFile) => {
    try {
      return t.pathForFile(file);
    } catch {
      return ''; // not a File (or a File without a path): nothing to send
    }
  };
  return Object.freeze(api) as unknown as FerryApi;
}
