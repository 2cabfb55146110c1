import { useState, type KeyboardEvent } from 'react';
import type { CatalogEntry } from '../../../electron/host/contract.ts';
import type { SettingSpec } from '../../../emulator/devices/kind.ts';
import { ConfigEditor } from '../edit/ConfigEditor.tsx';
import { deviceEntry, devicePorts, resolvePort, settingSpecs, shortPortName } from '../lab/catalog-view.ts';
import { usePortAnswers } from '../lab/port-cache.ts';
import { setDeviceField, setDeviceSetting, type LabDeviceView, type LabLinkView, type SettingValue } from '../lab/lab-text.ts';
import { useHost } from '../stores/host-store.ts';
import { useLab } from '../stores/lab-store.ts';
import { RoleIcon } from './RoleIcon.tsx';
import { CaptureButton } from '../capture/CaptureButton.tsx';

const blurOnEnter = (e: KeyboardEvent<HTMLInputElement>) => {
  if (e.key === 'Enter') e.currentTarget.blur();
};

/** A text field that writes to the lab when the user leaves it, not on every keystroke. */
function CommitInput({ id, value, onCommit, label, placeholder, pattern }: { id?: string; value: string; onCommit(v: string): void; label: string; placeholder?: string; pattern?: string }) {
  const [draft, setDraft] = useState(value);
  return (
    <input
      id={id}
      aria-label={label}
      value={draft}
      placeholder={placeholder}
      pattern={pattern}
      spellCheck={false}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft !== value && onCommit(draft)}
      onKeyDown={blurOnEnter}
    />
  );
}

const patterns: Partial<Record<SettingSpec['type'], string>> = {
  ipv4: '^(\\d{1,3}\\.){3}\\d{1,3}$',
  'ipv4-cidr': '^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$',
  mac: '^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\\.){2}[0-9A-Fa-f]{4}$',
};

function SettingField({ name, spec, value, onChange }: { name: string; spec: SettingSpec; value: SettingValue | undefined; onChange(v: SettingValue | null): void }) {
  const id = `setting-${name}`;
  let control;
  if (spec.type === 'boolean') {
    control = <input id={id} type="checkbox" checked={value === undefined ? spec.default === true : value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.type === 'string' && spec.enum) {
    control = (
      <select id={id} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
        <option value="">{spec.default !== undefined ? `default (${spec.default})` : '—'}</option>
        {spec.enum.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === 'integer') {
    control = (
      <CommitInput
        id={id}
        label={name}
        value={value === undefined ? '' : String(value)}
        placeholder={spec.default !== undefined ? String(spec.default) : ''}
        pattern="^-?\d+$"
        onCommit={(v) => onChange(v.trim() === '' ? null : Number.isInteger(Number(v)) ? Number(v) : v)}
      />
    );
  } else {
    control = (
      <CommitInput
        id={id}
        label={name}
        value={value === undefined ? '' : String(value)}
        placeholder={spec.default !== undefined ? String(spec.default) : ''}
        pattern={patterns[spec.type]}
        onCommit={(v) => onChange(v.trim() === '' ? null : v)}
      />
    );
  }
  return (
    <div className={`field${spec.type === 'boolean' ? ' field-inline' : ''}`}>
      <label htmlFor={id} title={spec.description}>
        {name}
      </label>
      {control}
      <div className="field-help">{spec.description}</div>
    </div>
  );
}

function DeviceInspector({ device, entry }: { device: LabDeviceView; entry: CatalogEntry | undefined }) {
  const edit = useLab((s) => s.edit);
  const select = useLab((s) => s.select);
  const links = useLab((s) => s.view.links);
  const catalog = useHost((s) => s.catalog);
  const rename = (to: string) => {
    const name = to.trim();
    if (!name || name === device.name) return;
    edit((t) => setDeviceField(t, device.name, 'name', name));
    select({ kind: 'device', name });
  };
  const mine = links.filter((l) => l.a.device === device.name || l.b.device === device.name);
  const ports = devicePorts(entry, []);
  return (
    <>
      <div className="inspector-head">
        <span className="device-icon">
          <RoleIcon role={entry?.role ?? 'unknown'} size={20} />
        </span>
        <div>
          <div className="inspector-title">{device.name}</div>
          <div className="inspector-sub">{entry ? `${entry.vendor} ${entry.model}` : `unknown kind ${device.kind}`}</div>
        </div>
      </div>
      <div className="section">
        <div className="field">
          <label htmlFor="device-name">Name</label>
          <CommitInput id="device-name" label="Name" value={device.name} onCommit={rename} />
        </div>
        <div className="field">
          <label htmlFor="device-kind">Kind</label>
          <select id="device-kind" value={device.kind} onChange={(e) => edit((t) => setDeviceField(t, device.name, 'kind', e.target.value))}>
            {!entry && <option value={device.kind}>{device.kind}</option>}
            {catalog.map((c) => (
              <option key={c.kind} value={c.kind}>
                {c.vendor} {c.model}
              </option>
            ))}
          </select>
        </div>
        {entry?.description && <p className="muted small">{entry.description}</p>}
      </div>
      <div className="section">
        <div className="section-title">Settings</div>
        {settingSpecs(entry).length === 0 && <p className="muted small">This kind has no settings.</p>}
        {settingSpecs(entry).map(([key, spec]) => (
          <SettingField key={key} name={key} spec={spec} value={device.settings[key]} onChange={(v) => edit((t) => setDeviceSetting(t, device.name, key, v))} />
        ))}
      </div>
      <div className="section">
        <div className="section-title">
          Startup config {entry?.configSyntax && <span className="badge">{entry.configSyntax}</span>}
        </div>
        {entry && entry.configSyntax === null ? (
          <p className="muted small">This kind has no configuration language.</p>
        ) : (
          <ConfigEditor key={device.config} kind={device.kind} value={device.config} onCommit={(text) => edit((t) => setDeviceField(t, device.name, 'config', text))} />
        )}
      </div>
      <div className="section">
        <div className="section-title">
          Ports <span className="muted">{ports.length}</span>
        </div>
        <table className="kv ports-table">
          <tbody>
            {mine.map((l) => {
              const here = l.a.device === device.name ? l.a : l.b;
              const there = here === l.a ? l.b : l.a;
              return (
                <tr key={l.index} className="clickable" onClick={() => select({ kind: 'link', index: l.index })}>
                  <td className="mono">{shortPortName(resolvePort(entry, here.port))}</td>
                  <td className="mono">
                    → {there.device}:{shortPortName(there.port)}
                  </td>
                </tr>
              );
            })}
            {mine.length === 0 && (
              <tr>
                <td className="muted small" colSpan={2}>
                  No links yet: drag from a port to another device’s port.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function LinkInspector({ link }: { link: LabLinkView }) {
  const select = useLab((s) => s.select);
  const end = (e: LabLinkView['a']) => (
    <button className="link-end" onClick={() => select({ kind: 'device', name: e.device })}>
      <span className="mono">{e.device}</span>
      <span className="mono muted">{e.port}</span>
    </button>
  );
  return (
    <>
      <div className="inspector-head">
        <div>
          <div className="inspector-title">Link</div>
          <div className="inspector-sub mono">
            {link.a.device}:{shortPortName(link.a.port)} ↔ {link.b.device}:{shortPortName(link.b.port)}
          </div>
        </div>
      </div>
      <div className="section">
        <div className="section-title">Ends</div>
        <div className="link-ends">
          {end(link.a)}
          {end(link.b)}
        </div>
        <CaptureButton target={`${link.a.device}:${link.a.port}--${link.b.device}:${link.b.port}`} />
      </div>
      <div className="section">
        <table className="kv">
          <tbody>
            <tr>
              <th>Speed</th>
              <td>{link.speed ?? 'slower port’s speed'}</td>
            </tr>
            <tr>
              <th>At start</th>
              <td>{link.up ? 'up' : 'administratively down'}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}

export function Inspector() {
  const selection = useLab((s) => s.selection);
  const many = useLab((s) => s.selectedDevices.size + s.selectedLinks.size);
  const manyDevices = useLab((s) => s.selectedDevices);
  const view = useLab((s) => s.view);
  const catalog = useHost((s) => s.catalogByKind);
  // The port list follows the host's answer for a device whose settings change its ports.
  const portAnswers = usePortAnswers((s) => s.answers);
  let body;
  if (selection?.kind === 'device') {
    const device = view.devices.find((d) => d.name === selection.name);
    if (device) body = <DeviceInspector key={`${device.name}:${device.kind}`} device={device} entry={deviceEntry(catalog, view.devices, device.name, portAnswers)} />;
  } else if (selection?.kind === 'link') {
    const link = view.links.find((l) => l.index === selection.index);
    if (link) body = <LinkInspector link={link} />;
  } else if (many > 1) {
    body = (
      <div className="empty-note" data-testid="multi-selection">
        {many} items selected{manyDevices.size > 0 ? `: ${[...manyDevices].slice(0, 8).join(', ')}${manyDevices.size > 8 ? '…' : ''}` : ''}. Delete removes them with their links; Ctrl+C copies them.
      </div>
    );
  }
  return (
    <aside className="inspector" aria-label="Inspector">
      <div className="pane-title">Inspector</div>
      <div className="inspector-body">
        {body ?? (
          <div className="empty-note">
            {view.devices.length > 0 ? (
              <>
                Select a device or a link to see its settings.
                <table className="kv summary">
                  <tbody>
                    <tr>
                      <th>Devices</th>
                      <td>{view.devices.length}</td>
                    </tr>
                    <tr>
                      <th>Links</th>
                      <td>{view.links.length}</td>
                    </tr>
                    <tr>
                      <th>Scenarios</th>
                      <td>{view.scenarios.length > 0 ? view.scenarios.join(', ') : '—'}</td>
                    </tr>
                  </tbody>
                </table>
              </>
            ) : (
              'Nothing selected.'
            )}
          </div>
        )}
      </div>
    </aside>
  );
}
