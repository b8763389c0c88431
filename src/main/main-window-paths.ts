// Where the built app's parts are, relative to dist/main/index.js.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppPaths {
  preload: string;
  index: string;
  /** file:// URL of index, the only page allowed to call the API. */
  indexUrl: string;
  assets: string;
}

/** Paths inside the built app: dist/main/index.js sits next to dist/preload and dist/renderer. */
export function appPaths(mainDir: string): AppPaths {
  const index = join(mainDir, '..', 'renderer', 'index.html');
  return {
    preload: join(mainDir, '..', 'preload', 'index.js'),
    index,
    indexUrl: pathToFileURL(index).href,
    assets: join(mainDir, '..', 'assets'),
  };
}
