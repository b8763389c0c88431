// The tray menu: Ferry keeps receiving with the window closed, so the tray is how to get back.
import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  open(): void;
  pauseAll(): void;
  quit(): void;
}

export function trayMenuTemplate(a: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Ferry', click: () => a.open() },
    { label: 'Pause all transfers', click: () => a.pauseAll() },
    { type: 'separator' },
    { label: 'Quit Ferry', click: () => a.quit() },
  ];
}
