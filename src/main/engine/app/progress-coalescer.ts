// Thins transferProgress to at most one event per interval per transfer, keeping the trailing
// value: a UI repainting on every 64 KiB chunk would burn the CPU the transfer needs.
import type { TransferProgress } from '../../../shared/types';

interface Slot {
  lastEmit: number;
  pending: TransferProgress | null;
  timer: NodeJS.Timeout | null;
}

export class ProgressCoalescer {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly emit: (p: TransferProgress) => void,
    private readonly intervalMs = 100,
  ) {}

  push(p: TransferProgress): void {
    const slot = this.slots.get(p.id) ?? { lastEmit: 0, pending: null, timer: null };
    this.slots.set(p.id, slot);
    slot.pending = slot.pending ? merge(slot.pending, p) : p;
    const wait = slot.lastEmit + this.intervalMs - Date.now();
    if (wait <= 0 && !slot.timer) this.flush(p.id);
    else if (!slot.timer) slot.timer = setTimeout(() => this.flush(p.id), wait);
  }

  /** Emits what is pending for a transfer now (before its state change goes out). */
  flush(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const p = slot.pending;
    slot.pending = null;
    if (!p) return;
    slot.lastEmit = Date.now();
    this.emit(p);
  }

  /** Forgets a transfer without emitting (it was removed). */
  drop(id: string): void {
    const slot = this.slots.get(id);
    if (slot?.timer) clearTimeout(slot.timer);
    this.slots.delete(id);
  }

  close(): void {
    for (const id of [...this.slots.keys()]) this.drop(id);
  }
}

/** Later totals win; file deltas are merged so no file's change is lost. */
function merge(older: TransferProgress, newer: TransferProgress): TransferProgress {
  const files = new Map(older.files.map((f) => [f.index, f]));
  for (const f of newer.files) files.set(f.index, f);
  return { ...newer, files: [...files.values()].sort((a, b) => a.index - b.index) };
}
