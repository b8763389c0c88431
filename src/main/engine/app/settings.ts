// Settings live in <stateDir>/settings.json; a missing or broken file means defaults.
import { hostname, homedir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../../shared/types';
import { readJson, writeJsonAtomic } from '../store/json-file';
import { sanitizeSettings } from './validate';

export const SETTINGS_FILE = 'settings.json';

export function defaultSettings(): Settings {
  return {
    deviceName: (hostname() || 'Ferry device').slice(0, 64),
    deviceType: 'desktop',
    downloadDir: join(homedir(), 'Downloads', 'Ferry'),
    acceptPolicy: 'ask',
    theme: 'system',
    language: 'system',
  };
}

export async function loadSettings(stateDir: string, defaults = defaultSettings()): Promise<Settings> {
  const raw = await readJson<unknown>(join(stateDir, SETTINGS_FILE)).catch(() => null);
  return sanitizeSettings(raw, defaults);
}

export async function saveSettings(stateDir: string, s: Settings): Promise<void> {
  await writeJsonAtomic(join(stateDir, SETTINGS_FILE), s);
}
