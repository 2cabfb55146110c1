import { useEffect } from 'react';
import { useConsoleFeed } from '../console/ConsolePanel.tsx';
import { DeviceConsoleMenu } from '../console/DeviceConsoleMenu.tsx';
import { RunBar } from '../run/RunBar.tsx';
import '../run/run.css';
import { useHost } from '../stores/host-store.ts';
import { selectDirty, useLab } from '../stores/lab-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { BottomPanel } from './BottomPanel.tsx';
import { Canvas } from './Canvas.tsx';
import { Dialogs } from './Dialogs.tsx';
import { Inspector } from './Inspector.tsx';
import { Palette } from './Palette.tsx';
import { TopBar } from './TopBar.tsx';

function EmptyCanvas() {
  const openDialog = useUi((s) => s.openDialog);
  return (
    <div className="canvas-empty">
      <div className="canvas-empty-card">
        <h2>No lab open</h2>
        <p>Open a shipped lab to explore it, or start a new one and drag devices in from the palette.</p>
        <div className="row">
          <button className="primary" onClick={() => openDialog('open')}>
            Open lab…
          </button>
          <button onClick={() => openDialog('new')}>New lab</button>
        </div>
      </div>
    </div>
  );
}

function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.tone}`} onClick={() => dismiss(n.id)}>
          {n.text}
        </div>
      ))}
    </div>
  );
}

function StatusBar() {
  const info = useHost((s) => s.info);
  const transport = useHost((s) => s.transport);
  const view = useLab((s) => s.view);
  const loaded = useLab((s) => s.loaded);
  return (
    <footer className="statusbar">
      <span>{transport === 'ipc' ? 'Desktop' : 'Browser shell'}</span>
      {info && <span title={info.workspace}>Workspace {info.workspace}</span>}
      <span className="spacer" />
      {loaded && (
        <span>
          {view.devices.length} devices · {view.links.length} links · {view.scenarios.length} scenarios
        </span>
      )}
      {info && <span>v{info.version}</span>}
    </footer>
  );
}

export function App() {
  const theme = useUi((s) => s.theme);
  const loaded = useLab((s) => s.loaded);
  const connection = useHost((s) => s.connection);
  useConsoleFeed();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const ui = useUi.getState();
      if (e.key === 's' && e.shiftKey) ui.openDialog('save-as');
      else if (e.key === 's') void useLab.getState().save();
      else if (e.key === 'o') ui.openDialog('open');
      else return;
      e.preventDefault();
    };
    const onUnload = (e: BeforeUnloadEvent) => {
      if (selectDirty(useLab.getState())) e.preventDefault();
    };
    // A lab file dropped anywhere on the window is imported into the library and opened.
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onDragOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) void useLab.getState().importFromDisk(file);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onUnload);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onUnload);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  return (
    <div className="app">
      <TopBar />
      {connection === 'disconnected' && (
        <div className="banner" role="alert" data-testid="disconnected">
          Disconnected from the LabBox host. Reconnecting… Your edits stay in this window.
        </div>
      )}
      <div className="workspace">
        <Palette />
        <main className="canvas">{loaded ? <Canvas /> : <EmptyCanvas />}</main>
        <Inspector />
      </div>
      {loaded && <RunBar />}
      <BottomPanel />
      <StatusBar />
      <DeviceConsoleMenu />
      <Dialogs />
      <Notices />
    </div>
  );
}
