import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { z } from 'zod';
import { labSchema } from './schema.ts';
import type { Lab } from './schema.ts';

/**
 * Writes a lab as YAML laid out for small git diffs: fields in schema order (the schemas list
 * them in reading order, down to scenario steps and checks), settings sorted, startup configs
 * as literal blocks so they read like the vendor's own text, and small objects on one line when
 * that stays short.
 *
 * The output is a function of the lab's value alone, so load → save → load gives the same lab
 * and saving it again gives the same bytes. Comments in the original file are not kept: the lab
 * value does not hold them.
 */
export function serializeLab(lab: Lab): string {
  const root = new YAMLMap();
  for (const [key, value, schema] of orderedEntries(lab, labSchema)) {
    // The top-level lists default to empty; an empty one says nothing.
    if (Array.isArray(value) && value.length === 0) continue;
    root.items.push(new Pair(new Scalar(key), build(value, schema, key, 2)));
  }
  const doc = new Document(null, { version: '1.2' });
  doc.contents = root;
  return doc.toString(FORMAT);
}

const FORMAT = { lineWidth: 0, indent: 2, indentSeq: true, flowCollectionPadding: true } as const;

/** Longest line a one-line object may make, indentation included. */
const MAX_FLOW_LINE = 100;

/** Lists that make up the lab's structure: one entry per line or block, however short. */
const BLOCK_LISTS = new Set(['devices', 'links', 'scenarios', 'guide', 'traffic', 'steps', 'expect', 'checks']);

/** Objects always written as blocks: the header and the entries of these lists. */
const BLOCK_OBJECTS = new Set(['metadata']);
const BLOCK_ENTRIES = new Set(['devices', 'scenarios', 'guide']);

/**
 * Builds the node for `value`, found under `key`. `schema` (when known) gives the field order of
 * objects; `indent` is the column the value's own lines start at, for the one-line decision.
 */
function build(value: unknown, schema: z.ZodType | undefined, key: string, indent: number, entryOf?: string): Node {
  if (typeof value === 'string') return stringNode(value, key === 'config');
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    value.forEach((v, i) => seq.items.push(build(v, elementSchema(schema, value, i), key, indent + 2, key)));
    if (!BLOCK_LISTS.has(key)) fitOnOneLine(seq, indent);
    return seq;
  }
  if (isPlainObject(value)) {
    const map = new YAMLMap();
    for (const [k, v, s] of orderedEntries(value, schema)) map.items.push(new Pair(new Scalar(k), build(v, s, k, indent + 2)));
    if (key === 'position') map.flow = true;
    else if (!BLOCK_OBJECTS.has(key) && !(entryOf && BLOCK_ENTRIES.has(entryOf))) fitOnOneLine(map, indent);
    return map;
  }
  return new Scalar(value ?? null);
}

/**
 * An object's fields with their schemas: fields the schema names in its order, then any others
 * in code-unit order (never locale order: the same lab must give the same bytes everywhere).
 * Free-form maps (settings) have no field order, so they are sorted.
 */
function orderedEntries(obj: object, schema: z.ZodType | undefined): [string, unknown, z.ZodType | undefined][] {
  const s = resolve(schema, obj);
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    const order = Object.keys(shape);
    const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
    entries.sort((a, b) => rank(a[0]) - rank(b[0]) || (rank(a[0]) === order.length ? compare(a[0], b[0]) : 0));
    return entries.map(([k, v]) => [k, v, shape[k]]);
  }
  entries.sort((a, b) => compare(a[0], b[0]));
  const valueSchema = s instanceof z.ZodRecord ? (s.valueType as z.ZodType) : undefined;
  return entries.map(([k, v]) => [k, v, valueSchema]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function elementSchema(list: z.ZodType | undefined, listValue: readonly unknown[], index: number): z.ZodType | undefined {
  const s = resolve(list, listValue);
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodTuple) return (s.def.items as z.ZodType[])[index];
  return undefined;
}

/**
 * Strips optional/default wrappers, and for a union picks the member this value belongs to
 * (a scenario step's fields depend on its `do`).
 */
function resolve(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodUnion && value !== undefined) s = (s.options as z.ZodType[]).find((o) => o.safeParse(value).success);
    else return s;
  }
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
  node.flow = true;
  const doc = new Document(null, { version: '1.2' });
  doc.contents = node;
  const line = doc.toString(FORMAT).trimEnd();
  node.flow = !line.includes('\n') && indent + 2 + line.length <= MAX_FLOW_LINE;
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
