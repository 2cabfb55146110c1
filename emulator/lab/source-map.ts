import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import type { PathSegment } from './errors.ts';

/**
 * Where a finding points in the source:
 * - `value`: at the node the path names;
 * - `key`: at the mapping key the path ends in (unknown keys);
 * - `parent`: at the mapping that should have held the path's last key (missing fields).
 */
export type Anchor = 'value' | 'key' | 'parent';

/**
 * Finds the source offset a path refers to by walking the parsed document. When the path leaves
 * the document (a missing key, an index past the end, a value that is not a collection), the
 * deepest node reached is used, which is the mapping or list that should have held it.
 */
export function offsetOf(doc: Document, path: readonly PathSegment[], anchor: Anchor): number {
  const walk = anchor === 'parent' ? path.slice(0, -1) : path;
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < walk.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = walk[i];
    const last = i === walk.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return offset;
      const keyStart = startOf(pair.key);
      if (last && anchor === 'key') return keyStart ?? offset;
      // A key written with no value (`name:`) has a null value node: point at the key.
      node = pair.value;
      offset = (isEmptyScalar(pair.value) ? keyStart : startOf(pair.value)) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      offset = startOf(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function startOf(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    if (range) return range[0];
  }
  return undefined;
}
