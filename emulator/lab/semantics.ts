import { findPort, settingsWithDefaults } from '../devices/kind.ts';
import type { ContainerSpec, DeviceKindInfo, PortSpec, SettingSpec, SettingValue, Settings } from '../devices/kind.ts';
import type { PathSegment } from './errors.ts';
import { closest, describeValue } from './finding.ts';
import type { Finding } from './finding.ts';
import { parseDuration } from './units.ts';

export type Catalog = (kind: string) => DeviceKindInfo | undefined;

/**
 * Checks that need more than the shape of the file: names that must resolve (device kinds,
 * parents, link endpoints and ports), names that must be unique, and per-kind settings.
 *
 * It reads the raw data, not the schema's output, so it can run alongside the schema check and
 * both sets of problems are reported together. Any part with the wrong shape is skipped here:
 * the schema check already reports it.
 */
export function semanticFindings(data: unknown, catalog: Catalog, kindNames: readonly string[]): Finding[] {
  const out: Finding[] = [];
  if (!isRecord(data)) return out;
  const devices = Array.isArray(data.devices) ? data.devices : [];

  const deviceIndex = new Map<string, number>();
  devices.forEach((d, i) => {
    if (!isRecord(d) || typeof d.name !== 'string') return;
    const first = deviceIndex.get(d.name);
    if (first === undefined) deviceIndex.set(d.name, i);
    else out.push(at(['devices', i, 'name'], `duplicate device name "${d.name}"; it is already used by devices[${first}]`));
  });

  // Ports are known only for devices whose kind exists and whose settings are valid: a kind's
  // port list may depend on its settings.
  const portsOf = new Map<string, { kind: string; ports: readonly PortSpec[] }>();
  devices.forEach((d, i) => {
    if (!isRecord(d) || typeof d.kind !== 'string' || d.kind === '') return;
    const info = catalog(d.kind);
    if (!info) {
      const guess = closest(d.kind, kindNames);
      out.push(at(['devices', i, 'kind'], `unknown device kind "${d.kind}"; expected a kind from the device catalog${guess ? ` (did you mean "${guess}"?)` : ''}`));
      return;
    }
    const settingsOk = checkSettings(info, d.settings, ['devices', i, 'settings'], out);
    if (!settingsOk || typeof d.name !== 'string' || deviceIndex.get(d.name) !== i) return;
    try {
      const settings = settingsWithDefaults(info, d.settings as Settings | undefined);
      const place = placement(devices, deviceIndex, catalog, d);
      // In a slot that renames ports (a stack member's Gi2/0/1) the container says what they are;
      // in a slot it cannot take, the ports are unknown and links to them go unchecked.
      if (place?.spec.childPorts) {
        if (place.slot !== null) portsOf.set(d.name, { kind: info.kind, ports: place.spec.childPorts(info.kind, settings, place.slot) });
      } else portsOf.set(d.name, { kind: info.kind, ports: info.ports(settings) });
    } catch (e) {
      out.push(at(['devices', i, 'settings'], `these settings give kind "${info.kind}" no valid port list: ${e instanceof Error ? e.message : String(e)}`));
    }
  });

  checkParents(devices, deviceIndex, out);
  checkContainers(devices, deviceIndex, catalog, kindNames, out);

  const links = Array.isArray(data.links) ? data.links : [];
  const portUser = new Map<string, string>();
  links.forEach((l, i) => {
    if (!isRecord(l)) return;
    const resolved: (PortSpec | undefined)[] = [];
    for (const end of ['a', 'b'] as const) {
      const text = l[end];
      const path = ['links', i, end];
      resolved.push(undefined);
      if (typeof text !== 'string') continue;
      const colon = text.indexOf(':');
      if (colon <= 0 || colon === text.length - 1) continue;
      const device = text.slice(0, colon);
      const portName = text.slice(colon + 1);
      if (!deviceIndex.has(device)) {
        const guess = closest(device, deviceIndex.keys());
        out.push(at(path, `no device named "${device}"; expected a device listed under devices${guess ? ` (did you mean "${guess}"?)` : ''}`));
        continue;
      }
      const known = portsOf.get(device);
      if (!known) continue;
      const port = findPort(known.ports, portName);
      if (!port) {
        out.push(at(path, `device "${device}" (${known.kind}) has no port "${portName}"; expected ${portRange(known.ports)}`));
        continue;
      }
      resolved[resolved.length - 1] = port;
      const id = `${device}:${port.name}`;
      const user = portUser.get(id);
      const here = `links[${i}].${end}`;
      if (user) out.push(at(path, `port ${id} is already used by ${user}; a port takes one link`));
      else portUser.set(id, here);
    }
    const [pa, pb] = resolved;
    if (pa && pb && pa.medium !== pb.medium) {
      out.push(at(['links', i, 'b'], `cannot join ${mediumWords[pa.medium]} port (${String(l.a)}) to ${mediumWords[pb.medium]} port; expected ports of the same medium`));
    }
    for (const key of ['delay'] as const) checkDuration(l[key], ['links', i, key], out);
  });

  const scenarios = Array.isArray(data.scenarios) ? data.scenarios : [];
  const scenarioIndex = new Map<string, number>();
  scenarios.forEach((s, i) => {
    if (!isRecord(s)) return;
    checkDuration(s.duration, ['scenarios', i, 'duration'], out);
    if (typeof s.name !== 'string') return;
    const first = scenarioIndex.get(s.name);
    if (first === undefined) scenarioIndex.set(s.name, i);
    else out.push(at(['scenarios', i, 'name'], `duplicate scenario name "${s.name}"; it is already used by scenarios[${first}]`));
  });
  return out;
}

function checkParents(devices: readonly unknown[], deviceIndex: ReadonlyMap<string, number>, out: Finding[]): void {
  const parentOf = new Map<number, number>();
  devices.forEach((d, i) => {
    if (!isRecord(d) || typeof d.parent !== 'string') return;
    const p = deviceIndex.get(d.parent);
    if (p === undefined) {
      const guess = closest(d.parent, deviceIndex.keys());
      out.push(at(['devices', i, 'parent'], `no device named "${d.parent}"; expected the name of the device this one sits in${guess ? ` (did you mean "${guess}"?)` : ''}`));
    } else if (p === i) {
      out.push(at(['devices', i, 'parent'], 'a device cannot sit inside itself'));
    } else {
      parentOf.set(i, p);
    }
  });
  // A chain of parents that loops back has no outermost device; report each loop once, at its
  // lowest-numbered member.
  const reported = new Set<number>();
  for (const start of parentOf.keys()) {
    const seen: number[] = [];
    let cur: number | undefined = start;
    while (cur !== undefined && !seen.includes(cur) && !reported.has(cur)) {
      seen.push(cur);
      cur = parentOf.get(cur);
    }
    if (cur === undefined || reported.has(cur)) continue;
    const loop = seen.slice(seen.indexOf(cur));
    for (const m of loop) reported.add(m);
    const first = Math.min(...loop);
    const names = [...loop.slice(loop.indexOf(first)), ...loop.slice(0, loop.indexOf(first)), first].map((k) => nameOf(devices[k]));
    out.push(at(['devices', first, 'parent'], `parents form a loop (${names.join(' → ')}); expected a chain that ends at a device with no parent`));
  }
}

/** Where a device sits: its parent's container declaration and, for numbered slots, a valid slot number (else null). */
function placement(devices: readonly unknown[], deviceIndex: ReadonlyMap<string, number>, catalog: Catalog, d: Record<string, unknown>): { spec: ContainerSpec; slot: number | null } | null {
  if (typeof d.parent !== 'string') return null;
  const p = deviceIndex.get(d.parent);
  const parent = p === undefined ? undefined : devices[p];
  const spec = isRecord(parent) && typeof parent.kind === 'string' ? catalog(parent.kind)?.container : undefined;
  if (spec === undefined || parent === d) return null;
  return { spec, slot: spec.slots ? slotNumber(d.slot, spec.slots) : null };
}

function slotNumber(slot: unknown, range: NonNullable<ContainerSpec['slots']>): number | null {
  if (typeof slot !== 'string' || !/^\d+$/.test(slot)) return null;
  const n = Number(slot);
  return n >= range.min && n <= range.max ? n : null;
}

/**
 * Devices in kinds that declare what they hold (a stack and its member switches): the parent must
 * take the child's kind, a numbered slot must be given, in range and held by one child; a child
 * carries no configuration when its container's covers it. A kind some container holds may not
 * sit in any other kind of parent.
 */
function checkContainers(devices: readonly unknown[], deviceIndex: ReadonlyMap<string, number>, catalog: Catalog, kindNames: readonly string[], out: Finding[]): void {
  const homes = new Map<string, string[]>();
  const kinds = new Set<string>(kindNames);
  for (const d of devices) if (isRecord(d) && typeof d.kind === 'string') kinds.add(d.kind);
  for (const k of kinds) for (const child of catalog(k)?.container?.accepts ?? []) homes.set(child, [...(homes.get(child) ?? []), k]);

  const holder = new Map<string, number>();
  devices.forEach((d, i) => {
    if (!isRecord(d) || typeof d.kind !== 'string' || typeof d.parent !== 'string' || !catalog(d.kind)) return;
    const p = deviceIndex.get(d.parent);
    const parent = p === undefined || p === i ? undefined : devices[p];
    if (!isRecord(parent) || typeof parent.kind !== 'string' || !catalog(parent.kind)) return;
    const spec = catalog(parent.kind)?.container;
    if (spec === undefined) {
      const allowed = homes.get(d.kind);
      if (allowed) out.push(at(['devices', i, 'parent'], `"${d.parent}" is a ${parent.kind}; expected a ${allowed.join(' or ')}, the only kind a ${d.kind} sits in`));
      return;
    }
    if (!spec.accepts.includes(d.kind)) {
      out.push(at(['devices', i, 'parent'], `a ${parent.kind} holds only ${spec.accepts.join(', ')}; "${d.name ?? '?'}" is a ${d.kind}`));
      return;
    }
    if (spec.configInParent && d.config !== undefined) {
      out.push({ path: ['devices', i, 'config'], anchor: 'key', message: `a device in a ${parent.kind} has no configuration of its own; put it in the config of "${d.parent}"` });
    }
    const slots = spec.slots;
    if (!slots) return;
    const range = `a ${slots.word} from ${slots.min} to ${slots.max}`;
    if (d.slot === undefined) {
      out.push({ path: ['devices', i, 'parent'], anchor: 'key', message: `a device in a ${parent.kind} needs a slot; expected slot: ${range}` });
      return;
    }
    // A slot that is not a string is the schema's to report.
    if (typeof d.slot !== 'string') return;
    const n = slotNumber(d.slot, slots);
    if (n === null) {
      out.push(at(['devices', i, 'slot'], `expected ${range}, got ${describeValue(d.slot)}`));
      return;
    }
    const key = `${p}/${n}`;
    const first = holder.get(key);
    if (first === undefined) holder.set(key, i);
    else out.push(at(['devices', i, 'slot'], `slot ${n} of "${d.parent}" is already taken by devices[${first}] (${nameOf(devices[first])}); each ${slots.word} holds one device`));
  });
}

function checkSettings(info: DeviceKindInfo, settings: unknown, path: PathSegment[], out: Finding[]): boolean {
  if (settings === undefined) return true;
  if (!isRecord(settings)) return false;
  let ok = true;
  const known = Object.keys(info.settings);
  for (const [key, value] of Object.entries(settings)) {
    const spec = info.settings[key];
    if (!Object.hasOwn(info.settings, key) || !spec) {
      const hint = known.length ? `expected one of: ${known.join(', ')}` : `kind "${info.kind}" has no settings`;
      out.push({ path: [...path, key], anchor: 'key', message: `unknown setting "${key}" for kind "${info.kind}"; ${hint}` });
      ok = false;
      continue;
    }
    // Non-scalar values are the schema's to report.
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      ok = false;
      continue;
    }
    const problem = settingProblem(spec, value);
    if (problem) {
      out.push(at([...path, key], `expected ${problem}, got ${describeValue(value)}`));
      ok = false;
    }
  }
  return ok;
}

/** What the value should have been, or null when it fits the spec. */
function settingProblem(spec: SettingSpec, value: SettingValue): string | null {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return typeof value === 'number' ? `a string (write it in quotes: "${value}")` : 'a string';
      if (spec.enum && !spec.enum.includes(value)) return `one of: ${spec.enum.join(', ')}`;
      return null;
    case 'integer': {
      const range = spec.min !== undefined && spec.max !== undefined ? ` from ${spec.min} to ${spec.max}` : spec.min !== undefined ? ` of at least ${spec.min}` : spec.max !== undefined ? ` of at most ${spec.max}` : '';
      if (typeof value !== 'number' || !Number.isInteger(value)) return `a whole number${range}`;
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return `a whole number${range}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'ipv4':
      return typeof value === 'string' && isIpv4(value) ? null : 'an IPv4 address such as 10.0.0.1';
    case 'ipv4-cidr': {
      const m = typeof value === 'string' ? /^([^/]+)\/(\d{1,2})$/.exec(value) : null;
      return m && isIpv4(m[1]) && Number(m[2]) <= 32 ? null : 'an IPv4 address with prefix length such as 10.0.0.1/24';
    }
    case 'mac':
      return typeof value === 'string' && isMac(value) ? null : 'a MAC address such as 00:50:56:01:02:03 or 0050.5601.0203';
  }
}

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isMac(s: string): boolean {
  return /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(s) || /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(s);
}

function checkDuration(value: unknown, path: PathSegment[], out: Finding[]): void {
  if (value === undefined) return;
  // Malformed text is the schema's to report; here only values it lets through but time cannot hold.
  if (typeof value === 'string' && !/^\d+(\.\d+)?(ns|us|ms|s|m|h)$/.test(value)) return;
  if (typeof value !== 'string' && (typeof value !== 'number' || value < 0)) return;
  try {
    parseDuration(value);
  } catch (e) {
    out.push(at(path, `expected a duration LabBox can hold: ${e instanceof Error ? e.message : String(e)}`));
  }
}

const mediumWords: Readonly<Record<PortSpec['medium'], string>> = {
  copper: 'a copper',
  sfp: 'an SFP',
  backplane: 'a backplane',
  virtual: 'a virtual',
};

function portRange(ports: readonly PortSpec[]): string {
  if (ports.length === 0) return 'nothing: this device has no ports';
  if (ports.length === 1) return `its only port, ${ports[0].name}`;
  if (ports.length <= 6) return `one of its ports: ${ports.map((p) => p.name).join(', ')}`;
  return `one of its ${ports.length} ports, ${ports[0].name} … ${ports[ports.length - 1].name}`;
}

function nameOf(d: unknown): string {
  return isRecord(d) && typeof d.name === 'string' ? d.name : '?';
}

function at(path: PathSegment[], message: string): Finding {
  return { path, anchor: 'value', message };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
