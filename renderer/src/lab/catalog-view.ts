import type { CatalogEntry } from '../../../electron/host/contract.ts';
import type { SettingSpec } from '../../../emulator/devices/kind.ts';

/** Helpers that turn the host's device catalog into what the palette, nodes and inspector show. */

export interface PortView {
  name: string;
  /** Short label for the node face, e.g. `Gi1/0/1` for `GigabitEthernet1/0/1`. */
  label: string;
  speedBps: number | null;
  medium: string | null;
  /** Named in a link but unknown to the catalog: drawn anyway, the host reports the error. */
  unknown: boolean;
}

const longNames: [RegExp, string][] = [
  [/^TenGigabitEthernet/i, 'Te'],
  [/^TwentyFiveGigE/i, 'Twe'],
  [/^FortyGigabitEthernet/i, 'Fo'],
  [/^HundredGigE/i, 'Hu'],
  [/^GigabitEthernet/i, 'Gi'],
  [/^FastEthernet/i, 'Fa'],
  [/^Ethernet/i, 'Eth'],
  [/^Port-channel/i, 'Po'],
];

export function shortPortName(name: string): string {
  for (const [re, short] of longNames) if (re.test(name)) return name.replace(re, short);
  return name;
}

function portKey(name: string): string {
  return shortPortName(name).toLowerCase();
}

/** The ports a device shows: its kind's ports, plus any a link names that the kind does not have. */
export function devicePorts(entry: CatalogEntry | undefined, linked: readonly string[]): PortView[] {
  const out: PortView[] = [];
  const byKey = new Map<string, PortView>();
  for (const p of entry?.ports ?? []) {
    const view: PortView = { name: p.name, label: shortPortName(p.name), speedBps: p.speedBps, medium: p.medium, unknown: false };
    out.push(view);
    byKey.set(portKey(p.name), view);
    for (const alias of p.aliases ?? []) byKey.set(portKey(alias), view);
  }
  for (const name of linked) {
    const key = portKey(name);
    if (byKey.has(key)) continue;
    const view: PortView = { name, label: shortPortName(name), speedBps: null, medium: null, unknown: true };
    out.push(view);
    byKey.set(key, view);
  }
  return out;
}

/** The handle id a link endpoint attaches to: the canonical port it names, or itself when unknown. */
export function resolvePort(entry: CatalogEntry | undefined, name: string): string {
  const key = portKey(name);
  for (const p of entry?.ports ?? []) {
    if (portKey(p.name) === key) return p.name;
    if ((p.aliases ?? []).some((a) => portKey(a) === key)) return p.name;
  }
  return name;
}

const stems: Record<string, string> = {
  switch: 'sw',
  router: 'r',
  host: 'host',
  hypervisor: 'hv',
  enclosure: 'enc',
  interconnect: 'vc',
  server: 'srv',
};

export function nameStem(entry: CatalogEntry | undefined): string {
  return (entry && stems[entry.role]) ?? 'dev';
}

export const roleTitles: Record<string, string> = {
  switch: 'Switches',
  router: 'Routers',
  host: 'Hosts',
  hypervisor: 'Hypervisors',
  enclosure: 'Enclosures',
  interconnect: 'Interconnects',
  server: 'Servers',
};

export interface PaletteGroup {
  vendor: string;
  roles: { role: string; entries: CatalogEntry[] }[];
}

/** Palette groups, vendor then role, filtered by a search over model, kind, vendor, role and description. */
export function paletteGroups(catalog: readonly CatalogEntry[], query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (e: CatalogEntry) => {
    const hay = `${e.vendor} ${e.model} ${e.kind} ${e.role} ${roleTitles[e.role] ?? ''} ${e.description}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const vendors = new Map<string, Map<string, CatalogEntry[]>>();
  for (const e of catalog) {
    if (!matches(e)) continue;
    let roles = vendors.get(e.vendor);
    if (!roles) vendors.set(e.vendor, (roles = new Map()));
    let list = roles.get(e.role);
    if (!list) roles.set(e.role, (list = []));
    list.push(e);
  }
  return [...vendors.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([vendor, roles]) => ({
      vendor,
      roles: [...roles.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([role, entries]) => ({ role, entries: [...entries].sort((x, y) => x.model.localeCompare(y.model)) })),
    }));
}

function isSettingSpec(v: unknown): v is SettingSpec {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as Record<string, unknown>).type;
  return t === 'string' || t === 'integer' || t === 'boolean' || t === 'ipv4-cidr' || t === 'ipv4' || t === 'mac';
}

/** A kind's setting specs, skipping anything the inspector would not know how to edit. */
export function settingSpecs(entry: CatalogEntry | undefined): [string, SettingSpec][] {
  if (!entry) return [];
  return Object.entries(entry.settings).filter((kv): kv is [string, SettingSpec] => isSettingSpec(kv[1]));
}
