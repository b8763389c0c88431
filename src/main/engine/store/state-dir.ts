// Where Ferry keeps its identity, known devices and transfer state when not told otherwise.
// One function so the CLI and the Electron shell agree.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** FERRY_HOME, else the OS config folder: XDG on Linux, Application Support on macOS, APPDATA on Windows. */
export function defaultStateDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.FERRY_HOME) return env.FERRY_HOME;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ferry');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'ferry');
}
