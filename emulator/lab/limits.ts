import { MAX_LAB_BYTES, MAX_LAB_DEVICES } from './schema.ts';

/**
 * The YAML library holds about a kilobyte per value while parsing (measured: 1M values took
 * 1.1 GB), so a 20 MB file of tiny values (`[0,0,0,...]`) would need ten times the default heap.
 * This cap keeps the worst case under about 2 GB while a 200,000-device lab written one device
 * per line still fits.
 */
export const MAX_LAB_VALUES = 1_500_000;

/**
 * Size guards that run before the YAML parser sees the text, so an oversized or hostile file is
 * refused in time linear in its length and constant extra memory.
 */

/** UTF-8 length of a JS string, stopping early once it passes `cap`. */
export function utf8Length(text: string, cap = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= cap; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const listKey = /^(?:devices|nodes|"devices"|"nodes"|'devices'|'nodes')[ \t]*:(.*)$/;

/**
 * Counts the entries of the top-level device list (`devices:`, or `nodes:` in labbox/v0) by
 * looking at line starts only. In block style an entry is a `-` at the list's own indentation;
 * deeper lines (settings, config text) can never start there, so the count is exact for block
 * lists. A flow list (`devices: [ {...}, {...} ]`) is counted by its top-level commas. Stops
 * counting once past `stopAt`.
 */
export function countDeviceEntries(text: string, stopAt = Infinity): number {
  let count = 0;
  let pos = 0;
  let inList = false;
  let itemIndent = -1;
  while (pos < text.length && count <= stopAt) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, '');
    const lineStart = pos;
    pos = end + 1;
    if (!inList) {
      const m = listKey.exec(line);
      if (!m) continue;
      const rest = stripProperties(stripComment(m[1]));
      if (rest.startsWith('[')) {
        count += countFlowEntries(text, lineStart + line.indexOf(':') + 1 + m[1].indexOf('['), stopAt - count);
        continue;
      }
      inList = rest === '';
      itemIndent = -1;
      continue;
    }
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    const dash = content === '-' || content.startsWith('- ') || content.startsWith('-\t');
    if (itemIndent < 0) {
      if (!dash) {
        inList = false;
        continue;
      }
      itemIndent = indent;
    }
    if (indent < itemIndent || (indent === itemIndent && !dash)) {
      inList = false;
      // This line may itself open another list key (e.g. a second `devices:` is a duplicate
      // key the parser reports; counting it too keeps the guard conservative).
      if (listKey.test(line)) pos = lineStart;
      continue;
    }
    if (indent === itemIndent && dash) count++;
  }
  return count;
}

/** Counts top-level entries of the flow list whose `[` is at `open`. */
function countFlowEntries(text: string, open: number, stopAt: number): number {
  let depth = 0;
  let count = 0;
  let entryHasContent = false;
  for (let i = open; i < text.length && count <= stopAt; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
      entryHasContent = true;
      continue;
    }
    if (c === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth > 1) entryHasContent = true;
      continue;
    }
    if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return count + (entryHasContent ? 1 : 0);
      continue;
    }
    if (depth === 1 && c === ',') {
      if (entryHasContent) count++;
      entryHasContent = false;
      continue;
    }
    if (depth >= 1 && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') entryHasContent = true;
  }
  return count + (entryHasContent ? 1 : 0);
}

function skipQuoted(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return text.length;
}

function stripComment(s: string): string {
  const hash = s.search(/(^|[ \t])#/);
  return (hash < 0 ? s : s.slice(0, hash)).trim();
}

/** Drops a leading anchor (`&devs`) or tag (`!!seq`) so `devices: &d [` is seen as a flow list. */
function stripProperties(s: string): string {
  return s.replace(/^(?:(?:&|!)\S*\s*)+/, '');
}

/**
 * An upper estimate of how many YAML nodes the text will produce, from the indicators that
 * introduce them: `key: value` (two nodes), `- item`, `,` between flow entries, and `[`/`{`.
 * Text inside scalars can only make the estimate larger, never smaller. Stops once past `stopAt`.
 */
export function estimateYamlValues(text: string, stopAt = Infinity): number {
  let count = 0;
  const n = text.length;
  for (let i = 0; i < n && count <= stopAt; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c /* , */ || c === 0x5b /* [ */ || c === 0x7b /* { */) count++;
    else if (c === 0x3a /* : */ || c === 0x2d /* - */) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0x0a;
      if (next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09) count += c === 0x3a ? 2 : 1;
    }
  }
  return count;
}

/** A message when the input is too big to open, or null. Cheap: no parsing happens here. */
export function inputLimitProblem(text: string): string | null {
  // A UTF-16 code unit is at least one UTF-8 byte, so a long string is over the limit outright.
  if (text.length > MAX_LAB_BYTES || utf8Length(text, MAX_LAB_BYTES) > MAX_LAB_BYTES) {
    return `the file is larger than ${MAX_LAB_BYTES / (1024 * 1024)} MB, the most LabBox opens; split the lab or remove generated content`;
  }
  const devices = countDeviceEntries(text, MAX_LAB_DEVICES);
  if (devices > MAX_LAB_DEVICES) {
    return `the lab has more than ${groupDigits(MAX_LAB_DEVICES)} devices, the most LabBox opens`;
  }
  if (estimateYamlValues(text, MAX_LAB_VALUES) > MAX_LAB_VALUES) {
    return `the file holds more than ${groupDigits(MAX_LAB_VALUES)} YAML values, more than LabBox can open safely; split the lab or remove generated content`;
  }
  return null;
}

function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
