import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import { deviceKind, deviceKinds } from '../devices/catalog.ts';
import { formatPath } from './errors.ts';
import type { LabError, PathSegment } from './errors.ts';
import type { Finding } from './finding.ts';
import { inputLimitProblem } from './limits.ts';
import { migrateV0, v0PathOf } from './migrate-v0.ts';
import { API_VERSION, MAX_LAB_DEVICES, labSchema } from './schema.ts';
import type { Lab } from './schema.ts';
import { findingsFromIssues } from './schema-issues.ts';
import { semanticFindings } from './semantics.ts';
import type { Catalog } from './semantics.ts';
import { offsetOf } from './source-map.ts';

export interface ParseLabOptions {
  /** Looks up a device kind; defaults to the project's device catalog. */
  catalog?: Catalog;
  /** Kind names offered as "did you mean" suggestions; defaults to the catalog's when it is the default. */
  kindNames?: readonly string[];
}

export type ParseLabResult = { ok: true; lab: Lab } | { ok: false; errors: LabError[] };

const CURRENT_VERSION = 1;

/**
 * Only the plain data types of YAML's core schema. Everything else (`!!js/function`,
 * `!!binary`, `!!set`, local `!tags`) is refused rather than resolved: a lab file from anyone
 * must open without trusting it, and a type the schema does not know is never data we want.
 */
const DATA_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * Anchors and aliases are allowed (sharing a settings block is handy), but expanding them is
 * bounded: a "billion laughs" file of nested aliases would otherwise need memory exponential in
 * its length. The yaml library counts nodes produced through aliases against this budget.
 */
const MAX_ALIAS_EXPANSION = 10_000;

/**
 * Past this many, a file is not being edited by hand any more; listing more only floods a
 * terminal. The count of the rest is still reported.
 */
const MAX_REPORTED_ERRORS = 1000;

/**
 * Reads a lab file. Either the whole lab is valid and returned, or every problem found is
 * returned with its place in the text; there is no partly loaded result.
 */
export function parseLab(file: string, text: string, options: ParseLabOptions = {}): ParseLabResult {
  const catalog = options.catalog ?? deviceKind;
  const kindNames = options.kindNames ?? (options.catalog ? [] : deviceKinds().map((k) => k.kind));
  const lineCounter = new LineCounter();
  const fail = (findings: readonly Placed[]): ParseLabResult => ({ ok: false, errors: toErrors(file, findings, lineCounter) });

  const tooBig = inputLimitProblem(text);
  if (tooBig) return fail([{ offset: 0, path: '', message: tooBig }]);

  const doc = parseDocument(text, { lineCounter, prettyErrors: false, version: '1.2', schema: 'core', uniqueKeys: true });
  const yamlProblems: Placed[] = [...doc.errors, ...doc.warnings]
    .filter((e) => e.code !== 'TAG_RESOLVE_FAILED')
    .map((e) => ({ offset: e.pos[0], path: '', message: `invalid YAML: ${firstLine(e.message)}` }));
  if (doc.errors.length > 0) return fail(yamlProblems);
  yamlProblems.push(...foreignTags(doc, text));
  if (yamlProblems.length > 0) return fail(yamlProblems);

  const version = readVersion(doc);
  if (version && version.number > CURRENT_VERSION) {
    return fail([
      {
        offset: version.offset,
        path: 'apiVersion',
        message: `this lab was written by a newer LabBox (${version.text}); this LabBox reads ${API_VERSION} and older, so update LabBox to open it`,
      },
    ]);
  }
  const fromV0 = version?.number === 0;
  const migration = fromV0 ? migrateV0(doc) : { findings: [], covered: [] };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    return fail([{ offset: firstAliasOffset(doc), path: '', message: 'aliases expand to too much data; a lab file may reuse an anchor a few times but not multiply it' }]);
  }
  const devices = data !== null && typeof data === 'object' && 'devices' in data ? data.devices : undefined;
  if (Array.isArray(devices) && devices.length > MAX_LAB_DEVICES) {
    return fail([{ offset: 0, path: '', message: `the lab has more than ${MAX_LAB_DEVICES} devices, the most LabBox opens` }]);
  }

  const parsed = labSchema.safeParse(data);
  const findings: Finding[] = [
    ...(parsed.success ? [] : findingsFromIssues(parsed.error.issues, data, labSchema)),
    ...semanticFindings(data, catalog, kindNames),
  ].filter((f) => !migration.covered.some((c) => isWithin(f.path, c)));
  const shown = (path: readonly PathSegment[]): string => formatPath(fromV0 ? v0PathOf(path) : path);
  const placed: Placed[] = [
    ...migration.findings.map((f) => ({ offset: f.offset ?? 0, path: formatPath(f.path), message: f.message })),
    ...findings.map((f) => ({ offset: f.offset ?? offsetOf(doc, f.path, f.anchor), path: shown(f.path), message: f.message })),
  ];
  if (placed.length > 0 || !parsed.success) return fail(placed);
  return { ok: true, lab: parsed.data };
}

interface Placed {
  offset: number;
  path: string;
  message: string;
}

function toErrors(file: string, placed: readonly Placed[], lines: LineCounter): LabError[] {
  const seen = new Set<string>();
  const unique = [...placed]
    .sort((a, b) => a.offset - b.offset)
    .filter((p) => {
      const key = `${p.offset}\u0000${p.path}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  // Text refused before parsing has no line table; its problems are about the whole file.
  const at = (offset: number): { line: number; col: number } => (lines.lineStarts.length > 0 ? lines.linePos(offset) : { line: 1, col: 1 });
  const errors = unique.slice(0, MAX_REPORTED_ERRORS).map((p) => ({ file, ...at(p.offset), path: p.path, message: p.message }));
  if (unique.length > MAX_REPORTED_ERRORS) {
    const next = unique[MAX_REPORTED_ERRORS];
    errors.push({ file, ...at(next.offset), path: '', message: `and ${unique.length - MAX_REPORTED_ERRORS} more problems not listed` });
  }
  return errors;
}

function readVersion(doc: Document): { text: string; number: number; offset: number } | undefined {
  if (!isMap(doc.contents)) return undefined;
  const node = doc.contents.get('apiVersion', true);
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const m = /^labbox\/v(\d+)$/.exec(node.value);
  return m ? { text: node.value, number: Number(m[1]), offset: node.range?.[0] ?? 0 } : undefined;
}

/**
 * The node's range starts after its properties, so step back to the tag itself: only
 * whitespace, an anchor or a comment can stand between a tag and its node.
 */
function tagOffset(text: string, nodeStart: number): number {
  let at = text.lastIndexOf('!', nodeStart);
  if (at < 0 || nodeStart - at > 1024) return nodeStart;
  // Walk back to the start of the tag token: `!!js/function` and `!e!tag` hold more than one `!`.
  while (at > 0 && !/[\s,[{]/.test(text[at - 1])) at--;
  return at;
}

function foreignTags(doc: Document, text: string): Placed[] {
  const out: Placed[] = [];
  visit(doc, (_key, node, ancestors) => {
    if (isNode(node) && node.tag !== undefined && !DATA_TAGS.has(node.tag)) {
      out.push({
        offset: tagOffset(text, node.range?.[0] ?? 0),
        path: formatPath(pathOf([...ancestors, node])),
        message: `the tag ${shortTag(node.tag)} is not allowed; a lab file holds plain data (strings, numbers, booleans, lists and mappings) and nothing in it is executed`,
      });
    }
  });
  return out;
}

/** The data path of a node from the visitor's chain of ancestors. */
function pathOf(chain: readonly unknown[]): PathSegment[] {
  const out: PathSegment[] = [];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const cur = chain[i];
    if (isSeq(parent) && isNode(cur)) out.push(parent.items.indexOf(cur));
    else if (isPair(cur) && isScalar(cur.key)) out.push(String(cur.key.value));
  }
  return out;
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function isWithin(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
