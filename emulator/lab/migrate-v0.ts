import { Pair, Scalar, YAMLMap, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, Range } from 'yaml';
import { describeValue } from './finding.ts';
import type { Finding } from './finding.ts';
import type { PathSegment } from './errors.ts';
import { API_VERSION } from './schema.ts';

/**
 * labbox/v0, the format before v1. Files in it are still opened: they are rewritten into v1 on
 * load (and saved as v1). What v0 looked like:
 *
 *   apiVersion: labbox/v0
 *   kind: Lab
 *   name: my-lab              # v1: metadata.name (likewise title, description, author, tags)
 *   nodes:                    # v1: devices
 *     - name: sw1
 *       type: some-kind       # v1: kind
 *       x: 120                # v1: position: { x: 120, y: 40 }
 *       y: 40
 *       parent, slot, settings, config, notes   # as in v1
 *   links:
 *     - endpoints: [sw1:Gi1/0/1, sw2:Gi1/0/1]   # v1: a: sw1:Gi1/0/1, b: sw2:Gi1/0/1
 *       speed, delay, up                        # as in v1
 *   scenarios: [...]          # as in v1; v0 had no guide
 *
 * The rewrite moves the parsed YAML nodes themselves rather than copying values, so every node
 * keeps its place in the original text and errors found after migration still point there.
 * Nodes the rewrite creates borrow the position of the v0 node they stand for.
 */
export interface V0Migration {
  /** Problems only a v0 reading can name (unknown v0 keys, malformed `endpoints`), in v0 paths. */
  findings: Finding[];
  /** v1 paths already covered by a finding above, so later checks do not repeat them. */
  covered: readonly (readonly PathSegment[])[];
}

const META_KEYS = ['name', 'title', 'description', 'author', 'tags'];
const ROOT_KEYS = ['apiVersion', 'kind', ...META_KEYS, 'nodes', 'links', 'scenarios'];
const NODE_KEYS = ['name', 'type', 'x', 'y', 'parent', 'slot', 'settings', 'config', 'notes'];
const LINK_KEYS = ['endpoints', 'speed', 'delay', 'up'];

/** Rewrites a v0 document into v1 shape in place. Findings from here carry v0 paths and their own offsets. */
export function migrateV0(doc: Document): V0Migration {
  const findings: Finding[] = [];
  const covered: PathSegment[][] = [];
  const root = doc.contents;
  if (!isMap(root)) return { findings, covered };

  const meta = new YAMLMap();
  meta.range = root.range;
  const kept: Pair[] = [];
  for (const pair of root.items) {
    const key = keyOf(pair);
    if (key === undefined || !ROOT_KEYS.includes(key)) {
      findings.push(unknownKey([], pair, key, ROOT_KEYS));
      continue;
    }
    if (META_KEYS.includes(key)) {
      meta.items.push(pair);
      continue;
    }
    if (key === 'apiVersion' && isScalar(pair.value)) pair.value.value = API_VERSION;
    if (key === 'nodes') {
      renameKey(pair, 'devices');
      if (isSeq(pair.value)) pair.value.items.forEach((node, i) => migrateNode(node, i, findings));
    }
    if (key === 'links' && isSeq(pair.value)) pair.value.items.forEach((link, i) => migrateLink(link, i, findings, covered));
    kept.push(pair);
  }
  const metaKey = new Scalar('metadata');
  metaKey.range = rangeAt(root.range);
  kept.splice(Math.min(2, kept.length), 0, new Pair(metaKey, meta));
  root.items = kept;
  return { findings, covered };
}

function migrateNode(node: unknown, i: number, findings: Finding[]): void {
  if (!isMap(node)) return;
  const position = new YAMLMap();
  position.range = node.range;
  const kept: Pair[] = [];
  for (const pair of node.items) {
    const key = keyOf(pair);
    if (key === undefined || !NODE_KEYS.includes(key)) {
      findings.push(unknownKey(['nodes', i], pair, key, NODE_KEYS, key === 'kind' ? 'v0 calls it "type"' : undefined));
    } else if (key === 'x' || key === 'y') {
      position.items.push(pair);
    } else {
      if (key === 'type') renameKey(pair, 'kind');
      kept.push(pair);
    }
  }
  if (position.items.length > 0) {
    const positionKey = new Scalar('position');
    positionKey.range = (position.items[0].key as Node).range;
    kept.push(new Pair(positionKey, position));
  }
  node.items = kept;
}

function migrateLink(link: unknown, i: number, findings: Finding[], covered: PathSegment[][]): void {
  if (!isMap(link)) return;
  const kept: Pair[] = [];
  let sawEndpoints = false;
  for (const pair of link.items) {
    const key = keyOf(pair);
    if (key === undefined || !LINK_KEYS.includes(key)) {
      findings.push(unknownKey(['links', i], pair, key, LINK_KEYS));
      continue;
    }
    if (key !== 'endpoints') {
      kept.push(pair);
      continue;
    }
    sawEndpoints = true;
    const ends = pair.value;
    if (isSeq(ends) && ends.items.length === 2) {
      ends.items.forEach((end, k) => {
        const endKey = new Scalar(k === 0 ? 'a' : 'b');
        endKey.range = (end as Node | null)?.range ?? (pair.key as Node).range;
        kept.push(new Pair(endKey, end));
      });
    } else {
      const got = isSeq(ends) ? `a list of ${ends.items.length}` : isMap(ends) ? 'a mapping' : describeValue(isScalar(ends) ? ends.value : null);
      findings.push({
        path: ['links', i, 'endpoints'],
        anchor: 'value',
        offset: startOf(ends) ?? startOf(pair.key),
        message: `expected a list of two endpoints [device:port, device:port], got ${got}`,
      });
      covered.push(['links', i, 'a'], ['links', i, 'b']);
    }
  }
  if (!sawEndpoints) {
    findings.push({
      path: ['links', i, 'endpoints'],
      anchor: 'parent',
      offset: startOf(link),
      message: 'required field is missing; expected a list of two endpoints [device:port, device:port]',
    });
    covered.push(['links', i, 'a'], ['links', i, 'b']);
  }
  link.items = kept;
}

/** Maps a v1 path in the migrated document back to the path the user wrote in v0. */
export function v0PathOf(path: readonly PathSegment[]): PathSegment[] {
  const [head, i, field, ...rest] = path;
  if (head === 'metadata') return path.slice(1);
  if (head === 'devices') {
    if (i === undefined) return ['nodes'];
    if (field === 'kind') return ['nodes', i, 'type', ...rest];
    if (field === 'position') return ['nodes', i, ...rest];
    return field === undefined ? ['nodes', i] : ['nodes', i, field, ...rest];
  }
  if (head === 'links' && (field === 'a' || field === 'b')) return ['links', i, 'endpoints', field === 'a' ? 0 : 1, ...rest];
  return [...path];
}

function unknownKey(at: PathSegment[], pair: Pair, key: string | undefined, allowed: readonly string[], why?: string): Finding {
  const shown = key ?? '(a non-text key)';
  return {
    path: [...at, shown],
    anchor: 'key',
    offset: startOf(pair.key),
    message: `unknown key "${shown}" in a labbox/v0 file${why ? ` (${why})` : ''}; expected one of: ${allowed.join(', ')}`,
  };
}

function keyOf(pair: unknown): string | undefined {
  return isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function renameKey(pair: Pair, to: string): void {
  if (isScalar(pair.key)) pair.key.value = to;
}

function startOf(node: unknown): number | undefined {
  return node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined;
}

function rangeAt(range: Range | null | undefined): Range | undefined {
  return range ? [range[0], range[0], range[0]] : undefined;
}
