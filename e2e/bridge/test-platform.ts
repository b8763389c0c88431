// The host side of the app for e2e tests: pickers answer from queues the test fills,
// and everything that would touch the desktop (open, reveal, notify) is recorded instead.
import type { Platform } from '../../src/main/engine/app/platform';

export interface Note {
  title: string;
  body: string;
}

export class TestPlatform implements Platform {
  /** Next answers of the file picker; null = the user dismissed it. Empty queue = dismissed. */
  readonly fileAnswers: (string[] | null)[] = [];
  readonly dirAnswers: (string | null)[] = [];
  readonly opened: string[] = [];
  readonly shown: string[] = [];
  readonly notes: Note[] = [];
  /** How often each picker was asked. */
  filePicks = 0;
  dirPicks = 0;
  /** Notifications are only sent while the window is not focused. */
  focused = true;
  system = { language: 'en', dark: false };

  queueFiles(paths: string[] | null): this {
    this.fileAnswers.push(paths);
    return this;
  }

  queueDirectory(dir: string | null): this {
    this.dirAnswers.push(dir);
    return this;
  }

  async pickFiles(): Promise<string[] | null> {
    this.filePicks++;
    return this.fileAnswers.shift() ?? null;
  }

  async pickDirectory(): Promise<string | null> {
    this.dirPicks++;
    return this.dirAnswers.shift() ?? null;
  }

  async openPath(p: string): Promise<void> {
    this.opened.push(p);
  }

  showItemInFolder(p: string): void {
    this.shown.push(p);
  }

  notify(title: string, body: string): void {
    this.notes.push({ title, body });
  }

  isFocused(): boolean {
    return this.focused;
  }
}
