import { portInSlot, portWithSetting, type CatalogEntry, type CatalogPort, type DevicePortsQuery } from '../../../electron/host/contract.ts';
import type { SettingSpec, SettingValue } from '../../../emulator/devices/kind.ts';
import type { Endpoint, LabDeviceView, PortFacts } from './lab-text.ts';
import { currentPortAnswers, type PortAnswers } from './port-cache.ts';

/** Helpers that turn the host's device catalog into what the palette, nodes and inspector show. */

export interface PortView {
  name: string;
  /** Short label for the node face, e.g. `Gi1/0/1` for `GigabitEthernet1/0/1`. */
  label: string;
  speedBps: number | null;
  medium: string | null;
  /** Named in a link but unknown to the catalog: drawn anyway, the host reports the error. */
  unknown: boolean;
  /** Named in a link while the host's answer for this device's ports is still on its way: not yet known either way. */
  pending: boolean;
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

/**
 * The ports a device shows: its kind's ports, plus any a link names that the kind does not have.
 * While the host has still to say what ports the device has, those are pending, not unknown.
 */
export function devicePorts(entry: CatalogEntry | undefined, linked: readonly string[]): PortView[] {
  const out: PortView[] = [];
  const byKey = new Map<string, PortView>();
  const pending = entry !== undefined && isPending(entry);
  for (const p of entry?.ports ?? []) {
    const view: PortView = { name: p.name, label: shortPortName(p.name), speedBps: p.speedBps, medium: p.medium, unknown: false, pending: false };
    out.push(view);
    byKey.set(portKey(p.name), view);
    for (const alias of p.aliases ?? []) byKey.set(portKey(alias), view);
  }
  for (const name of linked) {
    const key = portKey(name);
    if (byKey.has(key)) continue;
    const view: PortView = { name, label: shortPortName(name), speedBps: null, medium: null, unknown: !pending, pending };
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

/** A slot as validation reads it: decimal digits, within the container's range; else null. */
function slotNumber(slot: string | null, range: { min: number; max: number } | undefined): number | null {
  if (slot === null || range === undefined || !/^\d+$/.test(slot)) return null;
  const n = Number(slot);
  return n >= range.min && n <= range.max ? n : null;
}

/** Per kind's entry and value of the setting its ports follow: the same object each time, so what is keyed by entry stays cached. */
const settingEntries = new WeakMap<CatalogEntry, Map<string, CatalogEntry>>();

/** Whether `value` is one the setting's spec allows, as the host checked the template for each of those. */
function allowed(spec: unknown, value: SettingValue): boolean {
  if (!isSettingSpec(spec)) return false;
  if (spec.type === 'boolean') return typeof value === 'boolean';
  if (spec.type === 'integer') return typeof value === 'number' && Number.isInteger(value) && value >= (spec.min ?? value) && value <= (spec.max ?? value);
  return typeof value === 'string' && (spec.type !== 'string' || !spec.enum || spec.enum.includes(value));
}

/**
 * A kind's entry as it applies to a device with these settings: a kind whose port names follow a
 * setting (a FEX's Ethernet<fex>/1/x) gives the ports for the device's value. A value the setting
 * does not allow, or none, leaves the kind's default ports; validation reports the setting.
 */
export function configuredEntry(entry: CatalogEntry | undefined, settings: Readonly<Record<string, SettingValue>>): CatalogEntry | undefined {
  const rule = entry?.portsBySetting;
  if (!entry || !rule) return entry;
  const value = settings[rule.setting];
  if (value === undefined || !allowed(entry.settings[rule.setting], value)) return entry;
  let byValue = settingEntries.get(entry);
  if (!byValue) settingEntries.set(entry, (byValue = new Map()));
  const key = `${typeof value}:${String(value)}`;
  let configured = byValue.get(key);
  if (!configured) {
    configured = { ...entry, ports: rule.template.map((p) => portWithSetting(p, value)) };
    byValue.set(key, configured);
  }
  return configured;
}

/** Per child kind's entry, per parent kind and slot: the same object each time, so what is keyed by entry stays cached. */
const placedEntries = new WeakMap<CatalogEntry, WeakMap<CatalogEntry, Map<string, CatalogEntry>>>();

/**
 * A kind's entry as it applies to a device placed in a container with these settings: a container
 * whose slots rename its children's ports (a stack's member 2 has `Gi2/0/1`) gives the slot's
 * ports, and none for a slot it cannot take, as validation does. Anywhere else the kind's entry
 * for the device's settings. Settings that change the ports in a way the catalog's templates do
 * not cover (a router's `ports: 8`) are the host's to answer: until it has, the entry the
 * templates give stands in, marked pending.
 */
export function placedEntry(
  entry: CatalogEntry | undefined,
  parent: CatalogEntry | undefined,
  slot: string | null,
  settings: Readonly<Record<string, SettingValue>> = {},
  answers: PortAnswers = currentPortAnswers(),
): CatalogEntry | undefined {
  const standing = templatedEntry(entry, parent, slot, settings);
  const question = entry && portQuestion(entry, parent, slot, settings);
  if (!question || !standing) return standing;
  const ports = answers.get(question.key);
  if (ports === undefined) {
    answers.want(question.key, question.query);
    return pendingEntry(standing);
  }
  return ports === null ? standing : answeredEntry(entry, question.key, ports);
}

/** What the catalog's templates make of a device's entry: its slot's ports in a container that renames them, else its ports for the one setting they follow. */
function templatedEntry(
  entry: CatalogEntry | undefined,
  parent: CatalogEntry | undefined,
  slot: string | null,
  settings: Readonly<Record<string, SettingValue>>,
): CatalogEntry | undefined {
  const rule = entry && parent?.container?.childPorts?.[entry.kind];
  if (!entry || !parent || !rule) return configuredEntry(entry, settings);
  let byParent = placedEntries.get(entry);
  if (!byParent) placedEntries.set(entry, (byParent = new WeakMap()));
  let bySlot = byParent.get(parent);
  if (!bySlot) byParent.set(parent, (bySlot = new Map()));
  const n = slotNumber(slot, parent.container?.slots);
  const key = n === null ? '' : String(n);
  let placed = bySlot.get(key);
  if (!placed) {
    const ports = n === null ? [] : 'template' in rule ? rule.template.map((p) => portInSlot(p, n)) : (rule.bySlot[key] ?? []);
    placed = { ...entry, ports };
    bySlot.set(key, placed);
  }
  return placed;
}

/** Template-made entries standing in for one the host has still to answer, marked so their links' ports read as pending. */
const pendingEntries = new WeakMap<CatalogEntry, CatalogEntry>();
const pendingSet = new WeakSet<CatalogEntry>();

/** Whether the entry stands in for ports the host has still to give. */
export function isPending(entry: CatalogEntry): boolean {
  return pendingSet.has(entry);
}

function pendingEntry(standing: CatalogEntry): CatalogEntry {
  let pending = pendingEntries.get(standing);
  if (!pending) {
    pending = { ...standing };
    pendingEntries.set(standing, pending);
    pendingSet.add(pending);
  }
  return pending;
}

/** Per kind's entry and question: the entry with the host's ports, the same object while the answer is the same. */
const answeredEntries = new WeakMap<CatalogEntry, Map<string, { ports: readonly CatalogPort[]; entry: CatalogEntry }>>();

function answeredEntry(entry: CatalogEntry, key: string, ports: readonly CatalogPort[]): CatalogEntry {
  let byKey = answeredEntries.get(entry);
  if (!byKey) answeredEntries.set(entry, (byKey = new Map()));
  const known = byKey.get(key);
  if (known && known.ports === ports) return known.entry;
  const answered: CatalogEntry = { ...entry, ports: [...ports] };
  if (byKey.size > 5000) byKey.clear();
  byKey.set(key, { ports, entry: answered });
  return answered;
}

/**
 * What to ask the host about a device's ports, or null when the catalog's templates give them: no
 * setting its kind's ports follow is set otherwise than the default, or only the one the kind's
 * template covers, outside a container that renames ports. A value the setting does not allow is
 * left out, as validation reports it; in a slot that cannot be, the template gives no ports.
 */
export function portQuestion(
  entry: CatalogEntry,
  parent: CatalogEntry | undefined,
  slot: string | null,
  settings: Readonly<Record<string, SettingValue>>,
): { key: string; query: DevicePortsQuery } | null {
  const follows = entry.portSettings;
  if (!follows || follows.length === 0) return null;
  const set: [string, SettingValue][] = [];
  for (const name of [...follows].sort()) {
    const value = settings[name];
    const spec = entry.settings[name];
    if (value === undefined || !allowed(spec, value) || (isSettingSpec(spec) && spec.default === value)) continue;
    set.push([name, value]);
  }
  if (set.length === 0) return null;
  const renames = parent?.container?.childPorts?.[entry.kind] !== undefined;
  if (!renames && set.length === 1 && set[0][0] === entry.portsBySetting?.setting) return null;
  const query: DevicePortsQuery = { kind: entry.kind, settings: Object.fromEntries(set) };
  if (renames && parent) {
    const n = slotNumber(slot, parent.container?.slots);
    if (n === null) return null;
    query.parentKind = parent.kind;
    query.slot = n;
  }
  return { key: JSON.stringify([query.kind, set, query.parentKind ?? null, query.slot ?? null]), query };
}

/** The entry for the named device of the lab, placed where the lab puts it and with its own settings. */
export function deviceEntry(
  catalog: ReadonlyMap<string, CatalogEntry>,
  devices: readonly LabDeviceView[],
  name: string,
  answers: PortAnswers = currentPortAnswers(),
): CatalogEntry | undefined {
  const device = devices.find((d) => d.name === name);
  if (!device) return undefined;
  const parent = device.parent === null ? undefined : devices.find((d) => d.name === device.parent);
  return placedEntry(catalog.get(device.kind), parent && catalog.get(parent.kind), device.slot, device.settings, answers);
}

/** What the link check needs to know of each end, with each device's ports where the lab places it. */
export function portFactsIn(
  catalog: ReadonlyMap<string, CatalogEntry>,
  devices: readonly LabDeviceView[],
  answers: PortAnswers = currentPortAnswers(),
): (e: Endpoint) => PortFacts {
  return (e) => {
    const entry = deviceEntry(catalog, devices, e.device, answers);
    const canonical = resolvePort(entry, e.port);
    return { canonical, medium: entry?.ports.find((p) => p.name === canonical)?.medium ?? null };
  };
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

/** Kinds that frame others are named for what they are, not for the role of what they hold: a stack of switches is not one more `sw`. */
const kindStems: Record<string, string> = {
  'hyperv-cluster': 'cl',
  'cisco-catalyst-3750-stack': 'stack',
};

export function nameStem(entry: CatalogEntry | undefined): string {
  if (!entry) return 'dev';
  return kindStems[entry.kind] ?? stems[entry.role] ?? 'dev';
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
