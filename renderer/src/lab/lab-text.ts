import { isMap, isSeq, parseDocument, type Document } from 'yaml';

/**
 * The canvas's reading of a lab file, and the edits the canvas makes to it. The lab text stays the
 * source of truth: edits go through the YAML document so comments and key order the author wrote
 * survive, and the host validates the result with the real parser. This reading is lenient on
 * purpose: a half-typed lab still draws what can be drawn while its errors show in Problems.
 */

export type SettingValue = string | number | boolean;

export interface Point {
  x: number;
  y: number;
}

export interface LabDeviceView {
  /**
   * Index in the file's `devices` list. Entries without a name yet are not drawn, so this can
   * differ from the index in `LabView.devices`; the host's error paths count by this one.
   */
  index: number;
  name: string;
  kind: string;
  position: Point | null;
  parent: string | null;
  slot: string | null;
  settings: Record<string, SettingValue>;
  config: string;
}

export interface Endpoint {
  device: string;
  port: string;
}

export interface LabLinkView {
  /** Index in the file's `links` list: links have no names, so this is their identity. */
  index: number;
  a: Endpoint;
  b: Endpoint;
  speed: string | null;
  up: boolean;
}

export interface LabView {
  name: string;
  title: string;
  devices: LabDeviceView[];
  links: LabLinkView[];
  scenarios: string[];
  /** Set when the text is not YAML at all, so nothing could be read. */
  syntaxError: string | null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function asRecord(v: Json | undefined): Record<string, Json> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function asString(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

export function parseEndpoint(s: string): Endpoint | null {
  const i = s.indexOf(':');
  if (i <= 0 || i === s.length - 1) return null;
  return { device: s.slice(0, i), port: s.slice(i + 1) };
}

export function readLab(text: string): LabView {
  const doc = parseDocument(text);
  const empty: LabView = { name: '', title: '', devices: [], links: [], scenarios: [], syntaxError: null };
  if (doc.errors.length > 0) return { ...empty, syntaxError: doc.errors[0].message };
  const root = asRecord(doc.toJS() as Json);
  if (!root) return empty;
  const meta = asRecord(root.metadata) ?? {};
  const devices: LabDeviceView[] = [];
  (Array.isArray(root.devices) ? root.devices : []).forEach((d, index) => {
    const r = asRecord(d);
    const name = r && asString(r.name);
    if (!r || !name) return;
    const pos = asRecord(r.position);
    const settings: Record<string, SettingValue> = {};
    for (const [k, v] of Object.entries(asRecord(r.settings) ?? {})) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') settings[k] = v;
    }
    devices.push({
      index,
      name,
      kind: asString(r.kind) ?? '',
      position: pos && typeof pos.x === 'number' && typeof pos.y === 'number' ? { x: pos.x, y: pos.y } : null,
      parent: asString(r.parent),
      slot: asString(r.slot),
      settings,
      config: asString(r.config) ?? '',
    });
  });
  const links: LabLinkView[] = [];
  (Array.isArray(root.links) ? root.links : []).forEach((l, index) => {
    const r = asRecord(l);
    const a = r && asString(r.a);
    const b = r && asString(r.b);
    const ea = a ? parseEndpoint(a) : null;
    const eb = b ? parseEndpoint(b) : null;
    if (!r || !ea || !eb) return;
    links.push({ index, a: ea, b: eb, speed: asString(r.speed), up: r.up !== false });
  });
  const scenarios = (Array.isArray(root.scenarios) ? root.scenarios : [])
    .map((s) => asString(asRecord(s)?.name))
    .filter((s): s is string => s !== null);
  return {
    name: asString(meta.name) ?? '',
    title: asString(meta.title) ?? asString(meta.name) ?? '',
    devices,
    links,
    scenarios,
    syntaxError: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Edits. Each takes the text and returns the new text; unreadable text is returned unchanged.

function edit(text: string, change: (doc: Document) => boolean): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  return change(doc) ? doc.toString({ lineWidth: 0 }) : text;
}

function deviceIndex(doc: Document, name: string): number {
  const seq = doc.get('devices');
  if (!isSeq(seq)) return -1;
  return seq.items.findIndex((item) => isMap(item) && String(item.get('name')) === name);
}

const round = (n: number) => Math.round(n);

export function moveDevice(text: string, name: string, to: Point): string {
  return edit(text, (doc) => {
    const i = deviceIndex(doc, name);
    if (i < 0) return false;
    const position = doc.createNode({ x: round(to.x), y: round(to.y) });
    position.flow = true;
    doc.setIn(['devices', i, 'position'], position);
    return true;
  });
}

export function addDevice(text: string, device: { name: string; kind: string; position: Point }): string {
  return edit(text, (doc) => {
    const node = doc.createNode({
      name: device.name,
      kind: device.kind,
      position: { x: round(device.position.x), y: round(device.position.y) },
    });
    const pos = node.get('position');
    if (isMap(pos)) pos.flow = true;
    const seq = doc.get('devices');
    if (isSeq(seq)) seq.add(node);
    else doc.set('devices', doc.createNode([node]));
    return true;
  });
}

export function setDeviceField(text: string, name: string, field: 'name' | 'kind' | 'config', value: string): string {
  return edit(text, (doc) => {
    const i = deviceIndex(doc, name);
    if (i < 0) return false;
    if (field === 'config' && value === '') doc.deleteIn(['devices', i, 'config']);
    else doc.setIn(['devices', i, field], value);
    if (field === 'name') renameInLinks(doc, name, value);
    return true;
  });
}

/** A rename must carry the device's links with it, or every link to it would break. */
function renameInLinks(doc: Document, from: string, to: string): void {
  const links = doc.get('links');
  if (!isSeq(links)) return;
  for (const item of links.items) {
    if (!isMap(item)) continue;
    for (const side of ['a', 'b'] as const) {
      const ep = parseEndpoint(String(item.get(side) ?? ''));
      if (ep && ep.device === from) item.set(side, `${to}:${ep.port}`);
    }
  }
}

export function setDeviceSetting(text: string, name: string, key: string, value: SettingValue | null): string {
  return edit(text, (doc) => {
    const i = deviceIndex(doc, name);
    if (i < 0) return false;
    if (value === null) {
      doc.deleteIn(['devices', i, 'settings', key]);
      const settings = doc.getIn(['devices', i, 'settings']);
      if (isMap(settings) && settings.items.length === 0) doc.deleteIn(['devices', i, 'settings']);
    } else {
      doc.setIn(['devices', i, 'settings', key], value);
    }
    return true;
  });
}

/** A name not yet taken in the lab, from a kind's short stem: sw1, sw2, … */
export function freshName(stem: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${stem}${n}`)) return `${stem}${n}`;
}

/** The lab's own name follows the name it is saved under, so the library lists it by that name. */
export function setLabName(text: string, name: string): string {
  return edit(text, (doc) => {
    doc.setIn(['metadata', 'name'], name);
    return true;
  });
}

export function addLink(text: string, a: Endpoint, b: Endpoint): string {
  return edit(text, (doc) => {
    const node = doc.createNode({ a: `${a.device}:${a.port}`, b: `${b.device}:${b.port}` });
    node.flow = true;
    const seq = doc.get('links');
    if (isSeq(seq)) seq.add(node);
    else doc.set('links', doc.createNode([node]));
    return true;
  });
}

/** What the link check needs to know about a port; null when the port is unknown to the catalog. */
export interface PortFacts {
  /** The port's canonical name, so `Gi1/0/1` and `GigabitEthernet1/0/1` count as one port. */
  canonical: string;
  medium: string | null;
}

const mediumNames: Record<string, string> = { copper: 'a copper', sfp: 'an SFP', backplane: 'a backplane', virtual: 'a virtual' };

/** Why a link between these two ports cannot be drawn, or null when it can. */
export function linkRefusal(view: LabView, a: Endpoint, b: Endpoint, facts: (e: Endpoint) => PortFacts): string | null {
  if (a.device === b.device) return `a link must join two devices, not ${a.device} to itself`;
  for (const end of [a, b]) {
    const wanted = facts(end).canonical;
    const used = view.links.find((l) => [l.a, l.b].some((e) => e.device === end.device && facts(e).canonical === wanted));
    if (used) return `${end.device}:${end.port} is already linked`;
  }
  const ma = facts(a).medium;
  const mb = facts(b).medium;
  if (ma && mb && ma !== mb) {
    return `cannot join ${mediumNames[ma] ?? ma} port (${a.device}:${a.port}) to ${mediumNames[mb] ?? mb} port (${b.device}:${b.port})`;
  }
  return null;
}

/** Which device or link an error's field path points into: `devices[3].kind` or `devices.3.kind`. */
export function errorTarget(path: string): { list: 'devices' | 'links'; index: number } | null {
  const m = /^(devices|links)(?:\[(\d+)\]|\.(\d+))/.exec(path);
  if (!m) return null;
  return { list: m[1] as 'devices' | 'links', index: Number(m[2] ?? m[3]) };
}
