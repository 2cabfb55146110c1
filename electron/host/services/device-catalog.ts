import {
  portInSlot,
  portWithSetting,
  SETTING_MARK,
  SLOT_MARK,
  type CatalogContainer,
  type CatalogEntry,
  type CatalogPort,
  type CatalogSettingPorts,
  type CatalogSlotPorts,
  type DevicePortsQuery,
} from '../contract.ts';
import { deviceKind, deviceKinds } from '../../../emulator/devices/catalog.ts';
import { settingsWithDefaults, type ContainerSpec, type DeviceKindInfo, type PortSpec, type SettingSpec, type SettingValue } from '../../../emulator/devices/kind.ts';

function portData(p: PortSpec): CatalogPort {
  const port: CatalogPort = { name: p.name, speedBps: p.speedBps, medium: p.medium };
  if (p.aliases && p.aliases.length > 0) port.aliases = [...p.aliases];
  return port;
}

/**
 * A name with `mark` wherever it differs from `other` by holding `a` here and `b` there; null when
 * they differ otherwise. Numbers are matched as whole runs of digits, so slot 1 is not found in `Gi1/0/11`'s last number by accident.
 */
function templateName(name: string, a: SettingValue, other: string, b: SettingValue, mark: string): string | null {
  const here = name.split(/(\d+)/);
  const there = other.split(/(\d+)/);
  if (typeof a === 'number' && typeof b === 'number') {
    if (here.length !== there.length) return null;
    let out = '';
    for (let i = 0; i < here.length; i++) {
      if (here[i] === there[i]) out += here[i];
      else if (here[i] === String(a) && there[i] === String(b)) out += mark;
      else return null;
    }
    return out;
  }
  if (String(a) === '') return null;
  const out = name.split(String(a)).join(mark);
  return out.split(mark).join(String(b)) === other ? out : null;
}

/** A port list with `mark` where `first` (ports at value `a`) and `second` (at `b`) differ by the value; null when no such template gives both. */
function portTemplate(first: readonly CatalogPort[], a: SettingValue, second: readonly CatalogPort[], b: SettingValue, mark: string): CatalogPort[] | null {
  if (first.length !== second.length) return null;
  const template: CatalogPort[] = [];
  for (let i = 0; i < first.length; i++) {
    const p = first[i];
    const q = second[i];
    if (p.speedBps !== q.speedBps || p.medium !== q.medium || (p.aliases?.length ?? 0) !== (q.aliases?.length ?? 0)) return null;
    const name = templateName(p.name, a, q.name, b, mark);
    const aliases = (p.aliases ?? []).map((alias, k) => templateName(alias, a, q.aliases?.[k] ?? '', b, mark));
    if (name === null || aliases.some((x) => x === null)) return null;
    const port: CatalogPort = { name, speedBps: p.speedBps, medium: p.medium };
    if (p.aliases) port.aliases = aliases.filter((x): x is string => x !== null);
    template.push(port);
  }
  return template;
}

/**
 * The emulator's rule for a child's ports in each slot is code; the renderer gets it as data. A
 * template is read off two slots' lists and kept only if it gives every slot's list exactly;
 * otherwise each slot's list goes as it is.
 */
function slotPorts(spec: ContainerSpec, childKind: string): CatalogSlotPorts | null {
  const child = deviceKind(childKind);
  if (!spec.childPorts || !child) return null;
  const rename = spec.childPorts.bind(spec);
  const settings = settingsWithDefaults(child, undefined);
  const slots = spec.slots;
  if (!slots) return { bySlot: {} };
  const lists = new Map<number, CatalogPort[]>();
  for (let n = slots.min; n <= slots.max; n++) lists.set(n, rename(childKind, settings, n).map(portData));
  const bySlot = () => ({ bySlot: Object.fromEntries([...lists].map(([n, ports]) => [String(n), ports])) });
  const first = lists.get(slots.min) ?? [];
  const second = lists.get(slots.min + 1);
  const template = second && portTemplate(first, slots.min, second, slots.min + 1, SLOT_MARK);
  if (!template) return bySlot();
  for (const [n, ports] of lists) {
    if (JSON.stringify(template.map((p) => portInSlot(p, n))) !== JSON.stringify(ports)) return bySlot();
  }
  return { template };
}

/** A container's declaration as plain data. */
export function containerData(spec: ContainerSpec): CatalogContainer {
  const out: CatalogContainer = { accepts: [...spec.accepts] };
  if (spec.slots) out.slots = { min: spec.slots.min, max: spec.slots.max, word: spec.slots.word };
  const childPorts: Record<string, CatalogSlotPorts> = {};
  for (const kind of spec.accepts) {
    const rule = slotPorts(spec, kind);
    if (rule) childPorts[kind] = rule;
  }
  if (Object.keys(childPorts).length > 0) out.childPorts = childPorts;
  return out;
}

/** The largest range of an integer setting whose every value is checked against a template. */
const CHECKED_RANGE = 4096;

/** Every value a setting's spec allows, when they can be counted and tried; else null. */
function settingValues(spec: SettingSpec): SettingValue[] | null {
  if (spec.type === 'boolean') return [false, true];
  if (spec.type === 'string') return spec.enum ? [...spec.enum] : null;
  if (spec.type !== 'integer' || spec.min === undefined || spec.max === undefined || spec.max - spec.min > CHECKED_RANGE) return null;
  return Array.from({ length: spec.max - spec.min + 1 }, (_, i) => (spec.min ?? 0) + i);
}

/**
 * The emulator's rule for a kind's ports is code taking the settings; the renderer gets, as data,
 * how one setting names them. Each setting whose values can all be tried is tried at its default
 * and one other value; where the ports differ, a template is read off the two and kept only if it
 * gives every allowed value's ports exactly. Kept for one setting only: with two, a device would
 * need both filled in at once, which one template checked against the other's default does not show.
 */
export function settingPorts(info: DeviceKindInfo): CatalogSettingPorts | null {
  const defaults = settingsWithDefaults(info, undefined);
  const portsAt = (setting: string, value: SettingValue) => info.ports({ ...defaults, [setting]: value }).map(portData);
  const found: CatalogSettingPorts[] = [];
  for (const [setting, spec] of Object.entries(info.settings)) {
    const values = settingValues(spec);
    if (!values || values.length < 2) continue;
    const a = defaults[setting] !== undefined && values.includes(defaults[setting]) ? defaults[setting] : values[0];
    const b = values.find((v) => v !== a);
    if (b === undefined) continue;
    try {
      const first = portsAt(setting, a);
      const second = portsAt(setting, b);
      if (JSON.stringify(first) === JSON.stringify(second)) continue;
      const template = portTemplate(first, a, second, b, SETTING_MARK);
      if (!template) continue;
      if (values.every((v) => JSON.stringify(template.map((p) => portWithSetting(p, v))) === JSON.stringify(portsAt(setting, v)))) found.push({ setting, template });
    } catch {
      // A kind whose ports cannot be had for some allowed value keeps its default ports in the palette; validation reports the device.
    }
  }
  return found.length === 1 ? found[0] : null;
}

/** An integer setting with at most this many values has each tried; a wider one a sample of them. */
const FULL_PROBE = 64;

/**
 * Values to try a setting at when looking for the settings a kind's ports follow: every value of a
 * boolean, an enum or a narrow integer; for a wide integer its ends, the default's neighbours and
 * the middle. Free text and addresses are not tried.
 */
function probeValues(spec: SettingSpec): SettingValue[] {
  if (spec.type === 'boolean') return [false, true];
  if (spec.type === 'string') return spec.enum ? [...spec.enum] : [];
  if (spec.type !== 'integer') return [];
  const min = spec.min ?? Number.MIN_SAFE_INTEGER;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (max - min < FULL_PROBE) return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const base = spec.default ?? (min > 0 ? min : 0);
  const mid = Math.floor(min / 2 + max / 2);
  const candidates = [min, min + 1, base - 1, base, base + 1, mid, max - 1, max];
  return [...new Set(candidates.filter((v) => Number.isSafeInteger(v) && v >= min && v <= max))];
}

/** Whether a value is one the setting's spec allows, as validation reads it, for the kinds of setting that are probed. */
function fits(spec: SettingSpec, value: SettingValue): boolean {
  if (spec.type === 'boolean') return typeof value === 'boolean';
  if (spec.type === 'string') return typeof value === 'string' && spec.enum !== undefined && spec.enum.includes(value);
  if (spec.type !== 'integer') return false;
  return typeof value === 'number' && Number.isInteger(value) && value >= (spec.min ?? value) && value <= (spec.max ?? value);
}

/** The containers that rename a kind's ports in their slots, with the slot to try them in. */
function renamingHomes(kind: string): { spec: ContainerSpec; slot: number }[] {
  const out: { spec: ContainerSpec; slot: number }[] = [];
  for (const info of deviceKinds()) {
    const spec = info.container;
    if (spec?.childPorts && spec.slots && spec.accepts.includes(kind)) out.push({ spec, slot: spec.slots.min });
  }
  return out;
}

const portSettingsByKind = new WeakMap<DeviceKindInfo, string[]>();

/**
 * The settings a kind's ports follow, found by trying each setting at other values with the rest
 * at their defaults, on its own and in each container slot that renames its ports. A value for
 * which the kind gives no port list counts as a change: the renderer then asks rather than assumes.
 * A setting that changes the ports only together with another one is not found.
 */
export function portSettings(info: DeviceKindInfo): string[] {
  const known = portSettingsByKind.get(info);
  if (known) return known;
  const defaults = settingsWithDefaults(info, undefined);
  const places: ((settings: Record<string, SettingValue>) => readonly PortSpec[])[] = [
    (settings) => info.ports(settings),
    ...renamingHomes(info.kind).map(({ spec, slot }) => (settings: Record<string, SettingValue>) => spec.childPorts?.(info.kind, settings, slot) ?? []),
  ];
  const listed = (ports: () => readonly PortSpec[]): string => {
    try {
      return JSON.stringify(ports().map(portData));
    } catch {
      return 'none';
    }
  };
  const found: string[] = [];
  for (const [setting, spec] of Object.entries(info.settings)) {
    const changes = places.some((portsAt) => {
      const base = listed(() => portsAt({ ...defaults }));
      return probeValues(spec).some((v) => listed(() => portsAt({ ...defaults, [setting]: v })) !== base);
    });
    if (changes) found.push(setting);
  }
  portSettingsByKind.set(info, found);
  return found;
}

/**
 * A device's ports as the emulator gives them for its settings and place, as validation reads them:
 * in a slot of a container that renames its ports the container's list (none for a slot it cannot
 * take), elsewhere its kind's. Settings must be ones its ports follow, with values their spec allows.
 */
export function devicePortsFor(query: DevicePortsQuery): CatalogPort[] | null {
  const info = deviceKind(query.kind);
  if (!info) return null;
  const follows = portSettings(info);
  for (const [key, value] of Object.entries(query.settings)) {
    const spec = Object.hasOwn(info.settings, key) ? info.settings[key] : undefined;
    if (!spec || !follows.includes(key) || !fits(spec, value)) return null;
  }
  const settings = settingsWithDefaults(info, query.settings);
  const home = query.parentKind === undefined ? undefined : deviceKind(query.parentKind)?.container;
  try {
    if (home?.childPorts && home.accepts.includes(info.kind)) {
      const slots = home.slots;
      const slot = query.slot;
      if (!slots || slot === undefined || slot < slots.min || slot > slots.max) return [];
      return home.childPorts(info.kind, settings, slot).map(portData);
    }
    return info.ports(settings).map(portData);
  } catch {
    return null;
  }
}

/** The palette's view of the device catalog: plain data, ports as a default-configured device has them. */
export function catalogEntries(): CatalogEntry[] {
  return deviceKinds().map((info) => {
    const entry: CatalogEntry = {
      kind: info.kind,
      vendor: info.vendor,
      model: info.model,
      role: info.role,
      description: info.description,
      ports: info.ports(settingsWithDefaults(info, undefined)).map(portData),
      settings: Object.fromEntries(Object.entries(info.settings).map(([k, spec]) => [k, { ...spec }])),
      configSyntax: info.configSyntax,
    };
    const bySetting = settingPorts(info);
    if (bySetting) entry.portsBySetting = bySetting;
    const follows = portSettings(info);
    if (follows.length > 0) entry.portSettings = [...follows];
    if (info.container) entry.container = containerData(info.container);
    return entry;
  });
}
