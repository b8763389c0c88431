// The only door to the outside: the preload (or the e2e bridge shim) puts the API here.
import type { FerryApi } from '../shared/api';

declare global {
  interface Window {
    ferry: FerryApi;
  }
}

export {};
