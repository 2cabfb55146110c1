import { create } from 'zustand';

export type Theme = 'light' | 'dark';
export type BottomTab = 'problems' | 'events' | 'flows' | 'timeline' | 'report' | 'console' | 'captures';
export type Dialog = 'open' | 'new' | 'save-as' | null;

export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

interface UiState {
  theme: Theme;
  bottomTab: BottomTab;
  bottomOpen: boolean;
  dialog: Dialog;
  notices: Notice[];
  setTheme(theme: Theme): void;
  showTab(tab: BottomTab): void;
  toggleBottom(): void;
  openDialog(dialog: Dialog): void;
  notify(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

const THEME_KEY = 'labbox.theme';

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(THEME_KEY) : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return 'light';
}

let nextNotice = 1;

export const useUi = create<UiState>()((set) => ({
  theme: initialTheme(),
  bottomTab: 'problems',
  bottomOpen: true,
  dialog: null,
  notices: [],
  setTheme(theme) {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  showTab(tab) {
    set({ bottomTab: tab, bottomOpen: true });
  },
  toggleBottom() {
    set((s) => ({ bottomOpen: !s.bottomOpen }));
  },
  openDialog(dialog) {
    set({ dialog });
  },
  notify(tone, text) {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-3), { id, tone, text }] }));
    setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), tone === 'error' ? 8000 : 3500);
  },
  dismiss(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
}));
