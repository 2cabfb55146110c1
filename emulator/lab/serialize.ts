import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { deviceSchema, guideStepSchema, labSchema, linkSchema, metadataSchema, scenarioSchema } from './schema.ts';
import type { Lab } from './schema.ts';

/**
 * Writes a lab as YAML laid out for small git diffs: fields in schema order (schema.ts lists
 * them in reading order), settings sorted, startup configs as literal blocks so they read like
 * the vendor's own text, and small objects on one line when that stays short.
 *
 * The output is a function of the lab's value alone, so load → save → load gives the same lab
 * and saving it again gives the same bytes. Comments in the original file are not kept: the lab
 * value does not hold them.
 */
export function serializeLab(lab: Lab): string {
  const root = new YAMLMap();
  for (const key of Object.keys(labSchema.shape) as (keyof Lab)[]) {
    const value = lab[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    let node: Node;
    switch (key) {
      case 'metadata':
        node = record(lab.metadata, Object.keys(metadataSchema.shape), 2, 'block');
        break;
      case 'devices':
        node = blockList(lab.devices.map((d) => record(d, Object.keys(deviceSchema.shape), 4, 'block')));
        break;
      case 'links':
        node = blockList(lab.links.map((l) => record(l, Object.keys(linkSchema.shape), 4, 'fit')));
        break;
      case 'scenarios':
        node = blockList(lab.scenarios.map((s) => record(s, Object.keys(scenarioSchema.shape), 4, 'block')));
        break;
      case 'guide':
        node = blockList(lab.guide.map((g) => record(g, Object.keys(guideStepSchema.shape), 4, 'block')));
        break;
      default:
        node = valueNode(value, 2);
    }
    root.items.push(new Pair(new Scalar(key), node));
  }
  const doc = new Document(null, { version: '1.2' });
  doc.contents = root;
  return doc.toString(FORMAT);
}

const FORMAT = { lineWidth: 0, indent: 2, indentSeq: true, flowCollectionPadding: true } as const;

/** Longest line a one-line object may make, indentation included. */
const MAX_FLOW_LINE = 100;

/** Keys whose lists are the lab's structure: always one entry per block, however short. */
const STRUCTURAL_LISTS = new Set(['traffic', 'steps', 'expect', 'checks']);

function record(obj: object, order: readonly string[], indent: number, style: 'block' | 'fit'): YAMLMap {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  const rank = (k: string): number => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  // Stable sort: fields the schema names come in its order, anything else keeps its own.
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  const map = new YAMLMap();
  for (const [key, value] of entries) map.items.push(new Pair(new Scalar(key), fieldNode(key, value, indent + 2)));
  if (style === 'fit') fitOnOneLine(map, indent);
  return map;
}

function fieldNode(key: string, value: unknown, indent: number): Node {
  switch (key) {
    case 'config':
      return typeof value === 'string' ? stringNode(value, true) : valueNode(value, indent);
    case 'settings':
      return isPlainObject(value) ? sortedMap(value, indent) : valueNode(value, indent);
    case 'position': {
      const node = valueNode(value, indent);
      if (node instanceof YAMLMap) node.flow = true;
      return node;
    }
    default:
      if (STRUCTURAL_LISTS.has(key) && Array.isArray(value)) return blockList(value.map((v) => valueNode(v, indent + 2)));
      return valueNode(value, indent);
  }
}

function sortedMap(obj: Record<string, unknown>, indent: number): YAMLMap {
  const map = new YAMLMap();
  // Code-unit order, not locale order: the same lab must give the same bytes on every machine.
  for (const key of Object.keys(obj).sort()) map.items.push(new Pair(new Scalar(key), valueNode(obj[key], indent + 2)));
  fitOnOneLine(map, indent);
  return map;
}

function valueNode(value: unknown, indent: number): Node {
  if (typeof value === 'string') return stringNode(value, false);
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const v of value) seq.items.push(valueNode(v, indent + 2));
    fitOnOneLine(seq, indent);
    return seq;
  }
  if (isPlainObject(value)) {
    const map = new YAMLMap();
    for (const [k, v] of Object.entries(value)) if (v !== undefined) map.items.push(new Pair(new Scalar(k), valueNode(v, indent + 2)));
    fitOnOneLine(map, indent);
    return map;
  }
  return new Scalar(value ?? null);
}

function blockList(items: Node[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.items.push(...items);
  return seq;
}

/**
 * Text with line breaks is written as a literal block, unless it holds characters a block
 * cannot carry exactly (carriage returns, other control characters), which need escapes.
 */
function stringNode(text: string, alwaysBlock: boolean): Scalar {
  const node = new Scalar(text);
  const escapesNeeded = /[\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text);
  // A block of nothing but whitespace has no content line to fix its indentation, so it cannot
  // say how many spaces it held.
  const blockSafe = !escapesNeeded && /\S/.test(text);
  if (blockSafe && (alwaysBlock || text.includes('\n'))) node.type = Scalar.BLOCK_LITERAL;
  else if (escapesNeeded || text.includes('\n')) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

/** Puts a collection on one line (`{ x: 0, y: 0 }`) when that line stays short. */
function fitOnOneLine(node: YAMLMap | YAMLSeq, indent: number): void {
  if (node.items.length === 0 || holdsMultilineText(node)) return;
  const wasFlow = node.flow;
  node.flow = true;
  const doc = new Document(null, { version: '1.2' });
  doc.contents = node;
  const line = doc.toString(FORMAT).trimEnd();
  node.flow = !line.includes('\n') && indent + 2 + line.length <= MAX_FLOW_LINE ? true : wasFlow;
}

function holdsMultilineText(node: unknown): boolean {
  if (node instanceof Scalar) return typeof node.value === 'string' && (node.value.includes('\n') || node.type === Scalar.BLOCK_LITERAL);
  if (node instanceof Pair) return holdsMultilineText(node.value);
  if (node instanceof YAMLMap || node instanceof YAMLSeq) return node.items.some((i: unknown) => holdsMultilineText(i));
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
