import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { useHost } from '../stores/host-store.ts';
import { followConsoles, terminalFor, useConsoles } from './console-store.ts';

function TerminalView({ device }: { device: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const host = terminalFor(device);
    el.appendChild(host.element);
    const refit = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) host.fit.fit();
    };
    refit();
    host.term.focus();
    const seen = new ResizeObserver(refit);
    seen.observe(el);
    return () => {
      seen.disconnect();
      if (host.element.parentElement === el) el.removeChild(host.element);
    };
  }, [device]);
  return <div className="terminal-box" ref={box} />;
}

/** One terminal per device console; the tab strip picks which one is shown. */
export function ConsolePanel() {
  const tabs = useConsoles((s) => s.tabs);
  const active = useConsoles((s) => s.active);
  const activate = useConsoles((s) => s.activate);
  const close = useConsoles((s) => s.close);
  if (tabs.length === 0)
    return <div className="empty-note">Double-click a device (or right-click it and choose Open console) to open its console. It works before, during and after a run.</div>;
  return (
    <div className="console-view">
      <div className="console-tabs" role="tablist" aria-label="Consoles">
        {tabs.map((t) => (
          <span key={t.device} className={`console-tab${t.device === active ? ' active' : ''}`}>
            <button role="tab" aria-selected={t.device === active} onClick={() => activate(t.device)}>
              {t.device}
            </button>
            <button className="console-close" aria-label={`Close ${t.device} console`} onClick={() => void close(t.device)}>
              ×
            </button>
          </span>
        ))}
      </div>
      {active && <TerminalView key={active} device={active} />}
    </div>
  );
}

/** Wires console output for the life of the app. */
export function useConsoleFeed(): void {
  const api = useHost((s) => s.api);
  useEffect(() => (api ? followConsoles(api) : undefined), [api]);
}
