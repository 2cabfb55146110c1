import { selectDirty, useLab } from '../stores/lab-store.ts';
import { useHost } from '../stores/host-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { RecentMenu } from './Dialogs.tsx';
import { pickLabFile } from './menu-commands.ts';

function fileName(path: string | null): string {
  if (!path) return 'not saved yet';
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export function TopBar() {
  const loaded = useLab((s) => s.loaded);
  const title = useLab((s) => s.view.title);
  const path = useLab((s) => s.path);
  const dirty = useLab(selectDirty);
  const save = useLab((s) => s.save);
  const exportFile = useLab((s) => s.exportFile);
  const openDialog = useUi((s) => s.openDialog);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const connection = useHost((s) => s.connection);
  return (
    <header className="topbar">
      <div className="brand">
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
          <rect x="2" y="2" width="20" height="20" rx="5" fill="var(--accent)" />
          <path d="M7 8h4v4H7zM13 12h4v4h-4z" fill="#fff" />
          <path d="M11 10h2.5v2" stroke="#fff" strokeWidth="1.4" fill="none" />
        </svg>
        <span>LabBox</span>
      </div>
      <nav className="file-actions" aria-label="File">
        <button onClick={() => openDialog('new')}>New</button>
        <button onClick={() => openDialog('open')}>Open</button>
        <RecentMenu />
        <button onClick={() => void save()} disabled={!loaded || !dirty}>
          Save
        </button>
        <button onClick={() => openDialog('save-as')} disabled={!loaded}>
          Save As
        </button>
        <span className="nav-sep" />
        <button onClick={pickLabFile} title="Import a .lab.yaml file into your labs (or drop it on the window)">
          Import
        </button>
        <button onClick={() => void exportFile()} disabled={!loaded} title="Download the lab file">
          Export
        </button>
      </nav>
      <div className="lab-title" data-testid="lab-title">
        {loaded ? (
          <>
            <span className="lab-title-text">{title || 'Untitled lab'}</span>
            {dirty && (
              <span className="dirty-dot" title="Unsaved changes" aria-label="Unsaved changes">
                ●
              </span>
            )}
            <span className="lab-file">{fileName(path)}</span>
          </>
        ) : (
          <span className="muted">No lab open</span>
        )}
      </div>
      <div className="topbar-right">
        <span className={`conn conn-${connection}`} data-testid="connection">
          <span className="conn-dot" />
          {connection === 'connected' ? 'Host connected' : connection === 'connecting' ? 'Connecting…' : 'Disconnected'}
        </span>
        <button className="icon-button" onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')} title={theme === 'light' ? 'Dark theme' : 'Light theme'} aria-label="Toggle theme">
          {theme === 'light' ? (
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8">
              <path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z" />
            </svg>
          ) : (
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8">
              <circle cx="12" cy="12" r="4" />
              <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
            </svg>
          )}
        </button>
      </div>
    </header>
  );
}
