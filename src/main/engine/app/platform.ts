// What only the host can do: native pickers, opening files, notifications, focus, OS look.
// Electron implements it in the shell; the e2e bridge and tests answer it from queues.
export interface Platform {
  /** Native multi-file picker; null when dismissed. */
  pickFiles(): Promise<string[] | null>;
  /** Native folder picker; null when dismissed. */
  pickDirectory(): Promise<string | null>;
  /** Opens a file with the OS default app. Called only after AppService's checks. */
  openPath(p: string): Promise<void>;
  showItemInFolder(p: string): void;
  notify(title: string, body: string): void;
  /** Whether the app window has focus (no notifications then). */
  isFocused(): boolean;
  readonly system: { language: string; dark: boolean };
}
