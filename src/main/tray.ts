// The tray icon that keeps Ferry reachable while it receives with the window closed.
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import { trayMenuTemplate, type TrayActions } from './tray-menu';

export function createTray(assetsDir: string, actions: TrayActions): Tray {
  // tray.png + tray@2x.png: Electron picks the one for the screen's scale. macOS wants a
  // black "Template" image it tints for light and dark menu bars.
  const file = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const tray = new Tray(nativeImage.createFromPath(join(assetsDir, file)));
  tray.setToolTip('Ferry');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
  tray.on('click', () => actions.open());
  return tray;
}
