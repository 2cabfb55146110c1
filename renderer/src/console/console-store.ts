import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { create } from 'zustand';
import type { HostApi } from '../../../electron/host/contract.ts';
import { toHostError } from '../host/transport.ts';
import { useRun } from '../run/run-store.ts';
import { useHost } from '../stores/host-store.ts';
import { useUi } from '../stores/ui-store.ts';

export interface ConsoleTab {
  device: string;
  consoleId: string | null;
  runId: string | null;
}

/**
 * A terminal outlives the view that shows it: switching tabs must not lose what the device printed
 * or output that arrives meanwhile, so each xterm lives here and views only lend it a place.
 */
interface TerminalHost {
  term: Terminal;
  fit: FitAddon;
  element: HTMLDivElement;
}

const terminals = new Map<string, TerminalHost>();
const byConsoleId = new Map<string, string>();

function themeColours(): { background: string; foreground: string; cursor: string } {
  const dark = document.documentElement.dataset.theme === 'dark';
  return dark ? { background: '#0d1014', foreground: '#d6dde6', cursor: '#d6dde6' } : { background: '#14181f', foreground: '#e4e8ee', cursor: '#e4e8ee' };
}

export function terminalFor(device: string): TerminalHost {
  const existing = terminals.get(device);
  if (existing) return existing;
  const element = document.createElement('div');
  element.className = 'terminal-host';
  element.dataset.testid = `terminal-${device}`;
  const term = new Terminal({ fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace', fontSize: 13, cursorBlink: true, scrollback: 5000, convertEol: false, theme: themeColours() });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  term.onData((data) => {
    const tab = useConsoles.getState().tabs.find((t) => t.device === device);
    const api = useHost.getState().api;
    if (!tab?.consoleId || !api) return;
    api.consoleWrite(tab.consoleId, data).catch((e: unknown) => term.write(`\r\n% ${toHostError(e).message}\r\n`));
  });
  const host = { term, fit, element };
  terminals.set(device, host);
  return host;
}

interface ConsoleStore {
  tabs: ConsoleTab[];
  active: string | null;
  open(device: string): Promise<void>;
  close(device: string): Promise<void>;
  activate(device: string): void;
}

async function connect(api: HostApi, device: string, runId: string): Promise<string | null> {
  const { term } = terminalFor(device);
  try {
    const { consoleId, banner } = await api.openConsole(runId, device);
    byConsoleId.set(consoleId, device);
    term.write(banner);
    return consoleId;
  } catch (e) {
    term.write(`\r\n% ${toHostError(e).message}\r\n`);
    return null;
  }
}

export const useConsoles = create<ConsoleStore>()((set, get) => ({
  tabs: [],
  active: null,

  async open(device) {
    useUi.getState().showTab('console');
    set({ active: device });
    if (get().tabs.some((t) => t.device === device && t.consoleId)) return;
    const api = useHost.getState().api;
    if (!api) return;
    if (!get().tabs.some((t) => t.device === device)) set((s) => ({ tabs: [...s.tabs, { device, consoleId: null, runId: null }] }));
    const runId = await useRun.getState().consoleRun();
    if (!runId) return;
    const consoleId = await connect(api, device, runId);
    set((s) => ({ tabs: s.tabs.map((t) => (t.device === device ? { device, consoleId, runId } : t)) }));
  },

  async close(device) {
    const tab = get().tabs.find((t) => t.device === device);
    const api = useHost.getState().api;
    if (tab?.consoleId && api) await api.closeConsole(tab.consoleId).catch(() => undefined);
    terminals.get(device)?.term.dispose();
    terminals.delete(device);
    set((s) => {
      const tabs = s.tabs.filter((t) => t.device !== device);
      return { tabs, active: s.active === device ? (tabs[tabs.length - 1]?.device ?? null) : s.active };
    });
  },

  activate(device) {
    set({ active: device });
  },
}));

/** Routes device output to its terminal, and moves open consoles onto a new run's network. */
export function followConsoles(api: HostApi): () => void {
  const offOutput = api.onConsoleOutput((out) => {
    const device = byConsoleId.get(out.consoleId);
    if (device) terminals.get(device)?.term.write(out.data);
  });
  const offRun = useRun.subscribe((s, prev) => {
    if (s.runId === prev.runId || s.runId === null) return;
    const runId = s.runId;
    for (const tab of useConsoles.getState().tabs) {
      if (tab.runId === runId) continue;
      terminalFor(tab.device).term.write(`\r\n\r\n--- new run ${runId}: this console is now on its network ---\r\n`);
      void connect(api, tab.device, runId).then((consoleId) =>
        useConsoles.setState((st) => ({ tabs: st.tabs.map((t) => (t.device === tab.device ? { ...t, consoleId, runId } : t)) })),
      );
    }
  });
  return () => {
    offOutput();
    offRun();
  };
}
