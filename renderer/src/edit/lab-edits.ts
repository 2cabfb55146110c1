import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { freshName, parseEndpoint, type Point } from '../lab/lab-text.ts';
import { freeSlot } from './containers.ts';

/**
 * Edits that act on several devices at once (delete, paste, layout, re-parenting). Like the single
 * edits in lab-text, each goes through the YAML document so the author's comments and key order
 * survive, and returns the text unchanged when there is nothing to do.
 */

function edit(text: string, change: (doc: Document) => boolean): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  return change(doc) ? doc.toString({ lineWidth: 0 }) : text;
}

function maps(items: readonly unknown[]): YAMLMap[] {
  const out: YAMLMap[] = [];
  for (const i of items) if (isMap(i)) out.push(i);
  return out;
}

function deviceItems(doc: Document): YAMLMap[] {
  const seq = doc.get('devices');
  return isSeq(seq) ? maps(seq.items) : [];
}

const nameOf = (m: YAMLMap) => String(m.get('name') ?? '');

function optionalText(m: YAMLMap, key: string): string | null {
  const v = m.get(key);
  return v === undefined || v === null ? null : String(v);
}

/** The next free bay for this kind among what the container already holds: null without bays, undefined when full. */
function nextBay(doc: Document, parent: string, kind: string): string | null | undefined {
  const items = deviceItems(doc);
  const container = items.find((m) => nameOf(m) === parent);
  if (!container) return null;
  const siblings = items.filter((m) => optionalText(m, 'parent') === parent).map((m) => ({ kind: String(m.get('kind') ?? ''), slot: optionalText(m, 'slot') }));
  return freeSlot(String(container.get('kind') ?? ''), kind, siblings);
}

function flowPoint(doc: Document, p: Point) {
  const node = doc.createNode({ x: Math.round(p.x), y: Math.round(p.y) });
  node.flow = true;
  return node;
}

/** Moves many devices in one edit, so a layout or a group drag is one step to undo. */
export function moveDevices(text: string, moves: ReadonlyMap<string, Point>): string {
  if (moves.size === 0) return text;
  return edit(text, (doc) => {
    let changed = false;
    for (const item of deviceItems(doc)) {
      const to = moves.get(nameOf(item));
      if (!to) continue;
      item.set('position', flowPoint(doc, to));
      changed = true;
    }
    return changed;
  });
}

/** Every device inside these ones, at any depth: deleting or copying a container takes what it holds. */
export function withDescendants(devices: readonly { name: string; parent: string | null }[], names: Iterable<string>): Set<string> {
  const out = new Set(names);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of devices) {
      if (d.parent && out.has(d.parent) && !out.has(d.name)) {
        out.add(d.name);
        grew = true;
      }
    }
  }
  return out;
}

/** Removes devices with every link that touches them, and the given links by their index in `links`. */
export function deleteItems(text: string, names: ReadonlySet<string>, linkIndexes: ReadonlySet<number>): string {
  if (names.size === 0 && linkIndexes.size === 0) return text;
  return edit(text, (doc) => {
    let changed = false;
    const devices = doc.get('devices');
    if (isSeq(devices)) {
      const before = devices.items.length;
      devices.items = devices.items.filter((i) => !(isMap(i) && names.has(nameOf(i))));
      changed ||= devices.items.length !== before;
    }
    const links = doc.get('links');
    if (isSeq(links)) {
      const before = links.items.length;
      links.items = links.items.filter((item, index) => {
        if (linkIndexes.has(index)) return false;
        if (!isMap(item)) return true;
        return !(['a', 'b'] as const).some((side) => {
          const ep = parseEndpoint(String(item.get(side) ?? ''));
          return ep !== null && names.has(ep.device);
        });
      });
      changed ||= links.items.length !== before;
    }
    return changed;
  });
}

/** What copy keeps: the devices' own YAML (settings, config and all) and the links among them. */
export interface Clip {
  devices: string;
  links: string;
  count: number;
}

export function copyItems(text: string, names: ReadonlySet<string>): Clip | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || names.size === 0) return null;
  const picked = deviceItems(doc).filter((m) => names.has(nameOf(m)));
  if (picked.length === 0) return null;
  const links = doc.get('links');
  const inner = isSeq(links)
    ? links.items.filter((item) => {
        if (!isMap(item)) return false;
        const a = parseEndpoint(String(item.get('a') ?? ''));
        const b = parseEndpoint(String(item.get('b') ?? ''));
        return a !== null && b !== null && names.has(a.device) && names.has(b.device);
      })
    : [];
  const asText = (items: unknown[]) => {
    const seq = new YAMLSeq();
    seq.items = items;
    const d = new Document();
    d.contents = seq;
    return d.toString({ lineWidth: 0 });
  };
  return { devices: asText(picked), links: asText(inner), count: picked.length };
}

/**
 * Pastes a clip: every device gets a fresh name (its stem and the next free number), devices at
 * the top of the clip move by `offset`, and parents, links and bays follow the new names. A device
 * pasted without its parent keeps the old parent; its own bay there is taken, so it moves to the
 * next free bay of its kind, or to none when all are taken, for the host to report.
 */
export function pasteItems(text: string, clip: Clip, offset: Point): { text: string; names: string[] } {
  const doc = parseDocument(text);
  const devicesDoc = parseDocument(clip.devices);
  const linksDoc = parseDocument(clip.links);
  if (doc.errors.length > 0 || !isSeq(devicesDoc.contents) || !isSeq(linksDoc.contents)) return { text, names: [] };
  const taken = new Set(deviceItems(doc).map(nameOf));
  const rename = new Map<string, string>();
  const pasted = maps(devicesDoc.contents.items);
  for (const m of pasted) {
    const old = nameOf(m);
    const fresh = freshName(old.replace(/\d+$/, '') || old, taken);
    taken.add(fresh);
    rename.set(old, fresh);
  }
  let devices = doc.get('devices');
  if (!isSeq(devices)) {
    doc.set('devices', doc.createNode([]));
    devices = doc.get('devices');
  }
  if (!isSeq(devices)) return { text, names: [] };
  for (const m of pasted) {
    m.set('name', rename.get(nameOf(m)));
    const parentName = optionalText(m, 'parent');
    if (parentName && rename.has(parentName)) {
      m.set('parent', rename.get(parentName));
    } else {
      if (parentName && m.has('slot')) {
        const bay = nextBay(doc, parentName, String(m.get('kind') ?? ''));
        if (typeof bay === 'string') m.set('slot', bay);
        else m.delete('slot');
      }
      const pos = m.get('position');
      if (isMap(pos)) {
        const x = Number(isScalar(pos.get('x', true)) ? pos.get('x') : 0);
        const y = Number(isScalar(pos.get('y', true)) ? pos.get('y') : 0);
        m.set('position', flowPoint(doc, { x: x + offset.x, y: y + offset.y }));
      }
    }
    devices.add(m);
  }
  const linkItems = maps(linksDoc.contents.items);
  if (linkItems.length > 0) {
    let links = doc.get('links');
    if (!isSeq(links)) {
      doc.set('links', doc.createNode([]));
      links = doc.get('links');
    }
    if (isSeq(links)) {
      for (const l of linkItems) {
        for (const side of ['a', 'b'] as const) {
          const ep = parseEndpoint(String(l.get(side) ?? ''));
          if (ep) l.set(side, `${rename.get(ep.device) ?? ep.device}:${ep.port}`);
        }
        links.add(l);
      }
    }
  }
  return { text: doc.toString({ lineWidth: 0 }), names: [...rename.values()] };
}

/** Adds a device inside a container: `parent` names it, `slot` is its bay when the container has bays. */
/** A child without a position is lined up by its bay inside the container, as the canvas draws it. */
export function addChildDevice(text: string, device: { name: string; kind: string; position: Point | null; parent: string; slot: string | null }): string {
  return edit(text, (doc) => {
    const fields: Record<string, unknown> = { name: device.name, kind: device.kind, parent: device.parent };
    if (device.slot !== null) fields.slot = device.slot;
    if (device.position) fields.position = { x: Math.round(device.position.x), y: Math.round(device.position.y) };
    const node = doc.createNode(fields);
    const pos = node.get('position');
    if (isMap(pos)) pos.flow = true;
    const seq = doc.get('devices');
    if (isSeq(seq)) seq.add(node);
    else doc.set('devices', doc.createNode([node]));
    return true;
  });
}
