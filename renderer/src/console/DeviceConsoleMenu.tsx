import { useEffect, useState } from 'react';
import { useConsoles } from './console-store.ts';

/** The device a canvas event landed on, read from the node's own markup. */
function deviceAt(target: EventTarget | null): string | null {
  if (!(target instanceof Element)) return null;
  const node = target.closest('.react-flow__node');
  const marked = node?.querySelector('[data-testid^="device-"]');
  const id = marked?.getAttribute('data-testid');
  return id ? id.slice('device-'.length) : null;
}

/**
 * Opens consoles from the canvas: double-click a device, or right-click it for a menu. Listens on
 * the window so the canvas needs no knowledge of consoles; a context menu the canvas handles
 * itself (it calls preventDefault) wins.
 */
export function DeviceConsoleMenu() {
  const [menu, setMenu] = useState<{ device: string; x: number; y: number } | null>(null);
  const open = useConsoles((s) => s.open);
  useEffect(() => {
    const onDouble = (e: MouseEvent) => {
      const device = deviceAt(e.target);
      if (device) void open(device);
    };
    const onContext = (e: MouseEvent) => {
      if (e.defaultPrevented) return;
      const device = deviceAt(e.target);
      if (!device) return;
      e.preventDefault();
      setMenu({ device, x: e.clientX, y: e.clientY });
    };
    const dismiss = () => setMenu(null);
    window.addEventListener('dblclick', onDouble);
    window.addEventListener('contextmenu', onContext);
    window.addEventListener('click', dismiss);
    window.addEventListener('keydown', dismiss);
    return () => {
      window.removeEventListener('dblclick', onDouble);
      window.removeEventListener('contextmenu', onContext);
      window.removeEventListener('click', dismiss);
      window.removeEventListener('keydown', dismiss);
    };
  }, [open]);
  if (!menu) return null;
  return (
    <div className="context-menu" role="menu" style={{ left: menu.x, top: menu.y }}>
      <button role="menuitem" onClick={() => void open(menu.device)}>
        Open console on {menu.device}
      </button>
    </div>
  );
}
