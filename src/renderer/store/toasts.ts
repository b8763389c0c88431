// Short-lived notices (mostly errors), announced through an aria-live region.
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  /** An error's code is translated at render time, so a language switch updates it. */
  error?: ErrorInfo;
  text?: string;
}

interface ToastsState {
  list: Toast[];
  showError: (error: ErrorInfo) => void;
  showInfo: (text: string) => void;
  dismiss: (id: number) => void;
}

const MAX_TOASTS = 4;
const LIFETIME_MS = 8000;
let nextId = 1;

export const useToasts = create<ToastsState>((set, get) => {
  const push = (toast: Omit<Toast, 'id'>): void => {
    const id = nextId++;
    set((s) => ({ list: [...s.list, { ...toast, id }].slice(-MAX_TOASTS) }));
    setTimeout(() => get().dismiss(id), LIFETIME_MS);
  };
  return {
    list: [],
    showError: (error) => push({ kind: 'error', error }),
    showInfo: (text) => push({ kind: 'info', text }),
    dismiss: (id) => set((s) => ({ list: s.list.filter((t) => t.id !== id) })),
  };
});
