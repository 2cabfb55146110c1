import { portInSlot, SLOT_MARK, type CatalogContainer, type CatalogEntry, type CatalogPort, type CatalogSlotPorts } from '../contract.ts';
import { deviceKind, deviceKinds } from '../../../emulator/devices/catalog.ts';
import { settingsWithDefaults, type ContainerSpec, type PortSpec } from '../../../emulator/devices/kind.ts';

function portData(p: PortSpec): CatalogPort {
  const port: CatalogPort = { name: p.name, speedBps: p.speedBps, medium: p.medium };
  if (p.aliases && p.aliases.length > 0) port.aliases = [...p.aliases];
  return port;
}

/** A name with `{slot}` wherever it differs from `other` by being slot `a` here and slot `b` there; null when they differ otherwise. */
function templateName(name: string, a: number, other: string, b: number): string | null {
  const here = name.split(/(\d+)/);
  const there = other.split(/(\d+)/);
  if (here.length !== there.length) return null;
  let out = '';
  for (let i = 0; i < here.length; i++) {
    if (here[i] === there[i]) out += here[i];
    else if (here[i] === String(a) && there[i] === String(b)) out += SLOT_MARK;
    else return null;
  }
  return out;
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
  if (!second || second.length !== first.length) return bySlot();
  const template: CatalogPort[] = [];
  for (let i = 0; i < first.length; i++) {
    const a = first[i];
    const b = second[i];
    const name = templateName(a.name, slots.min, b.name, slots.min + 1);
    const aliases = (a.aliases ?? []).map((alias, k) => templateName(alias, slots.min, b.aliases?.[k] ?? '', slots.min + 1));
    if (name === null || aliases.some((x) => x === null) || (a.aliases?.length ?? 0) !== (b.aliases?.length ?? 0)) return bySlot();
    const port: CatalogPort = { name, speedBps: a.speedBps, medium: a.medium };
    if (a.aliases) port.aliases = aliases.filter((x): x is string => x !== null);
    template.push(port);
  }
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
    if (info.container) entry.container = containerData(info.container);
    return entry;
  });
}
