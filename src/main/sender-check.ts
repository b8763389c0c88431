// IPC from anything but our own window's top page is refused: a frame or window that got
// there some other way must not reach the engine. Pure, so it is tested without Electron.
export interface SenderInfo {
  /** webContents id of the sender. */
  webContentsId: number;
  /** URL of the frame that sent it; null when the frame is gone. */
  frameUrl: string | null;
  /** Whether the sending frame is the top frame. */
  isMainFrame: boolean;
}

export interface OurWindow {
  webContentsId: number;
  /** file:// URL of dist/renderer/index.html. */
  indexUrl: string;
}

export function isTrustedSender(s: SenderInfo, ours: OurWindow | null): boolean {
  if (!ours || !s.frameUrl || !s.isMainFrame || s.webContentsId !== ours.webContentsId) return false;
  let got: URL;
  let want: URL;
  try {
    got = new URL(s.frameUrl);
    want = new URL(ours.indexUrl);
  } catch {
    return false;
  }
  // The hash is the renderer's own business; everything else must be our index file.
  // Paths are compared decoded: Chromium and Node may escape spaces or non-ASCII differently.
  return got.protocol === 'file:' && want.protocol === 'file:' && got.host === want.host && decoded(got) === decoded(want);
}

function decoded(u: URL): string | null {
  try {
    return decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
}
