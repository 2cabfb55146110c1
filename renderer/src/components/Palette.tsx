import { useMemo, useState, type DragEvent } from 'react';
import { paletteGroups, roleTitles } from '../lab/catalog-view.ts';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import { PALETTE_MIME } from './Canvas.tsx';
import { RoleIcon } from './RoleIcon.tsx';

export function Palette() {
  const catalog = useHost((s) => s.catalog);
  const loadError = useHost((s) => s.loadError);
  const loaded = useLab((s) => s.loaded);
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(catalog, query), [catalog, query]);

  const onDragStart = (e: DragEvent, kind: string) => {
    e.dataTransfer.setData(PALETTE_MIME, kind);
    e.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="palette" aria-label="Device palette">
      <div className="pane-title">Devices</div>
      <div className="palette-search">
        <input type="search" placeholder="Search devices" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search devices" />
      </div>
      <div className="palette-list">
        {loadError && catalog.length === 0 && <div className="empty-note">Catalog unavailable: {loadError}</div>}
        {!loadError && catalog.length === 0 && <div className="empty-note">No device kinds yet.</div>}
        {catalog.length > 0 && groups.length === 0 && <div className="empty-note">Nothing matches “{query}”.</div>}
        {groups.map((g) => (
          <section key={g.vendor} className="palette-vendor">
            <h3>{g.vendor}</h3>
            {g.roles.map((r) => (
              <div key={r.role} className="palette-role">
                <h4>{roleTitles[r.role] ?? r.role}</h4>
                {r.entries.map((e) => (
                  <div
                    key={e.kind}
                    className={`palette-item role-${e.role}`}
                    draggable={loaded}
                    onDragStart={(ev) => onDragStart(ev, e.kind)}
                    title={`${e.description}\n${e.ports.length} ports · drag onto the canvas`}
                    data-kind={e.kind}
                  >
                    <span className="palette-icon">
                      <RoleIcon role={e.role} size={16} />
                    </span>
                    <span className="palette-text">
                      <span className="palette-model">{e.model}</span>
                      <span className="palette-kind">{e.kind}</span>
                    </span>
                    <span className="palette-ports">{e.ports.length}</span>
                  </div>
                ))}
              </div>
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
