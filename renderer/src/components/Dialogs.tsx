import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { LabSummary } from '../../../electron/host/contract.ts';
import '../edit/edit.css';
import { discardOffered, dropSnapshotsOf, restoreOffered, useAutosaveAndRecovery, useRecovery } from '../lab/autosave.ts';
import { useHost } from '../stores/host-store.ts';
import { selectDirty, useLab } from '../stores/lab-store.ts';
import { useUi } from '../stores/ui-store.ts';

function Modal({ title, onClose, children, wide }: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title}>
        <div className="modal-head">
          <h2>{title}</h2>
          <button className="icon-button" onClick={onClose} aria-label="Close">
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

function confirmDiscard(): boolean {
  const lab = useLab.getState();
  if (!selectDirty(lab)) return true;
  if (!window.confirm('The current lab has unsaved changes. Discard them?')) return false;
  void dropSnapshotsOf(lab.path);
  return true;
}

/**
 * The offer to restore work left unsaved when the window last went away. It does not block the
 * window: the user may open something else first and decide later.
 */
function RestoreDialog() {
  const offer = useRecovery((s) => s.offer);
  const loaded = useLab((s) => s.loaded);
  if (!offer || loaded) return null;
  const when = new Date(offer.savedAt).toLocaleString();
  const file = offer.labPath ? offer.labPath.slice(Math.max(offer.labPath.lastIndexOf('/'), offer.labPath.lastIndexOf('\\')) + 1) : 'a lab never saved';
  return (
    <div className="restore-offer" role="dialog" aria-modal="false" aria-label="Restore unsaved work">
      <h2>Restore unsaved work</h2>
      <p data-testid="restore-question">
        Restore unsaved work from {when}?
      </p>
      <p className="muted small">LabBox closed before {file} was saved. Restoring opens that text as an unsaved lab; discarding throws it away.</p>
      <div className="modal-actions">
        <button type="button" onClick={discardOffered}>
          Discard
        </button>
        <button type="button" className="primary" onClick={restoreOffered}>
          Restore
        </button>
      </div>
    </div>
  );
}

/** The File menu's list of recently opened labs. */
export function RecentMenu() {
  const recent = useHost((s) => s.recent);
  const open = useLab((s) => s.open);
  const [shown, setShown] = useState(false);
  return (
    <span className="recent-menu" onMouseLeave={() => setShown(false)}>
      <button onClick={() => setShown((v) => !v)} aria-haspopup="menu" aria-expanded={shown} title="Recently opened labs">
        Recent ▾
      </button>
      {shown && (
        <div className="recent-list" role="menu" aria-label="Recent labs">
          {recent.length === 0 && <div className="empty-note">No recent labs.</div>}
          {recent.slice(0, 10).map((l) => (
            <button
              key={l.id}
              role="menuitem"
              title={l.path}
              onClick={() => {
                setShown(false);
                if (confirmDiscard()) void open(l.id);
              }}
            >
              {l.title || l.name}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}

function LabRow({ lab, onOpen }: { lab: LabSummary; onOpen(lab: LabSummary): void }) {
  return (
    <button className="lab-row" onDoubleClick={() => onOpen(lab)} onClick={() => onOpen(lab)} data-testid="lab-row" title={lab.path}>
      <span className="lab-row-title">{lab.title || lab.name}</span>
      <span className="lab-row-meta">
        {lab.devices} devices · {lab.links} links{lab.scenarios.length > 0 ? ` · ${lab.scenarios.length} scenario${lab.scenarios.length > 1 ? 's' : ''}` : ''}
      </span>
      <span className="lab-row-file">{lab.name}</span>
    </button>
  );
}

function OpenLabDialog({ onClose }: { onClose(): void }) {
  const labs = useHost((s) => s.labs);
  const recent = useHost((s) => s.recent);
  const refreshLibrary = useHost((s) => s.refreshLibrary);
  const open = useLab((s) => s.open);
  const [filter, setFilter] = useState('');
  useEffect(() => void refreshLibrary(), [refreshLibrary]);
  const match = (l: LabSummary) => `${l.title} ${l.name}`.toLowerCase().includes(filter.toLowerCase());
  const onOpen = async (lab: LabSummary) => {
    if (!confirmDiscard()) return;
    if (await open(lab.id)) onClose();
  };
  const sections: [string, LabSummary[]][] = [
    ['Recent', filter ? [] : recent.slice(0, 5)],
    ['Shipped labs', labs.filter((l) => l.shipped && match(l))],
    ['Workspace', labs.filter((l) => !l.shipped && match(l))],
  ];
  return (
    <Modal title="Open lab" onClose={onClose} wide>
      <input className="modal-filter" type="search" placeholder="Filter labs" autoFocus value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter labs" />
      <div className="lab-list">
        {sections.map(([title, list]) =>
          list.length > 0 || title !== 'Recent' ? (
            <section key={title}>
              <h3>{title}</h3>
              {list.length === 0 ? <div className="empty-note">{title === 'Workspace' ? 'No labs of your own yet.' : 'None.'}</div> : list.map((l) => <LabRow key={`${title}:${l.id}`} lab={l} onOpen={(x) => void onOpen(x)} />)}
            </section>
          ) : null,
        )}
      </div>
    </Modal>
  );
}

function NameDialog({ title, action, initial, onSubmit, onClose }: { title: string; action: string; initial: string; onSubmit(name: string): Promise<boolean>; onClose(): void }) {
  const [name, setName] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.select(), []);
  const valid = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/.test(name);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (valid && (await onSubmit(name))) onClose();
  };
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="name-form">
        <label htmlFor="lab-name">Lab name</label>
        <input id="lab-name" ref={ref} value={name} onChange={(e) => setName(e.target.value)} autoFocus spellCheck={false} />
        <div className={`field-help${valid || !name ? '' : ' error-text'}`}>A letter, then letters, digits, “_”, “.” or “-”. It also names the file.</div>
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            {action}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  const openDialog = useUi((s) => s.openDialog);
  const create = useLab((s) => s.create);
  const saveAs = useLab((s) => s.saveAs);
  const labName = useLab((s) => s.view.name);
  useAutosaveAndRecovery();
  const close = () => openDialog(null);
  if (dialog === null) return <RestoreDialog />;
  if (dialog === 'open') return <OpenLabDialog onClose={close} />;
  if (dialog === 'new')
    return <NameDialog title="New lab" action="Create" initial="my-lab" onSubmit={(n) => (confirmDiscard() ? create(n) : Promise.resolve(false))} onClose={close} />;
  if (dialog === 'save-as') return <NameDialog title="Save lab as" action="Save" initial={labName ? `${labName}-copy` : 'my-lab'} onSubmit={saveAs} onClose={close} />;
  return null;
}
