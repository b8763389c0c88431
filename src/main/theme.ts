// The chosen theme also drives native parts (dialogs, menus, the page's prefers-color-scheme).
import { nativeTheme } from 'electron';
import type { Settings } from '../shared/types';

export function applyTheme(theme: Settings['theme']): void {
  nativeTheme.themeSource = theme;
}
