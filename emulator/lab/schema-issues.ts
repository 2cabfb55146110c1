import { z } from 'zod';
import type { PathSegment } from './errors.ts';
import { describeValue, valueAt } from './finding.ts';
import type { Finding } from './finding.ts';

/**
 * Turns zod's issues into findings whose messages say what was expected, in the words of the
 * lab file rather than of TypeScript ("a mapping", "a list"). Custom messages in schema.ts are
 * written as noun phrases ("a duration such as 10s") so they read after "expected".
 */
export function findingsFromIssues(issues: readonly z.core.$ZodIssue[], data: unknown, schema: z.ZodType): Finding[] {
  const out: Finding[] = [];
  // A refinement that fails on a value already refused for its type or format adds nothing.
  const refused = new Set(issues.filter((i) => i.code !== 'custom').map((i) => pathKey(i.path)));
  for (const issue of issues) {
    if (issue.code === 'custom' && refused.has(pathKey(issue.path))) continue;
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    const value = valueAt(data, path);
    const missing = value === undefined && !(issue.code === 'unrecognized_keys');
    if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union')) {
      out.push({ path, anchor: 'parent', message: `required field is missing; expected ${expectation(issue)}` });
      continue;
    }
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = keysAt(schema, path, data);
        for (const key of issue.keys) {
          const hint = allowed ? `; expected one of: ${allowed.join(', ')}` : '';
          out.push({ path: [...path, key], anchor: 'key', message: `unknown key "${key}"${hint}` });
        }
        break;
      }
      case 'invalid_type':
      case 'invalid_value':
      case 'invalid_union':
      case 'invalid_format':
        out.push({ path, anchor: 'value', message: `expected ${expectation(issue)}, got ${describeValue(value)}` });
        break;
      case 'too_small':
      case 'too_big':
        out.push({ path, anchor: 'value', message: `expected ${bound(issue)}, got ${describeValue(value)}` });
        break;
      default:
        out.push({ path, anchor: 'value', message: issue.message });
    }
  }
  return out;
}

function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('\u0000');
}

const typeWords: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

/** Whether zod wrote this message itself (then we phrase our own) or it came from schema.ts. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(message);
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeWords[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return issue.values.map((v) => JSON.stringify(v)).join(' or ');
    default:
      return isDefaultMessage(issue.message) ? 'a valid value' : issue.message;
  }
}

function bound(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return issue.message;
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const cmp = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  switch (issue.origin) {
    case 'string':
      return small && limit === 1 ? 'a non-empty string' : `a string of ${cmp} ${limit} characters`;
    case 'array':
      return `a list of ${cmp} ${limit} entries`;
    case 'number':
      return `a number ${cmp} ${limit}`;
    default:
      return issue.message;
  }
}

/** The keys a strict object at `path` accepts, in schema order, for "expected one of" hints. */
export function keysAt(schema: z.ZodType, path: readonly PathSegment[], data: unknown): string[] | undefined {
  let s: z.ZodType | undefined = unwrap(schema, data);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (!s) return undefined;
    if (s instanceof z.ZodObject && typeof seg === 'string') s = s.shape[seg] as z.ZodType | undefined;
    else if (s instanceof z.ZodArray && typeof seg === 'number') s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return undefined;
    s = s && unwrap(s, valueAt(data, path.slice(0, i + 1)));
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : undefined;
}

/**
 * Strips optional/default wrappers. A union of objects is narrowed to the member the value
 * means: by its discriminator (a scenario step's `do`), else the only object member.
 */
function unwrap(s: z.ZodType, value: unknown): z.ZodType | undefined {
  let cur: z.ZodType | undefined = s;
  for (;;) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault || cur instanceof z.ZodNullable) cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodUnion) cur = unionMember(cur, value);
    else return cur;
  }
}

function unionMember(u: z.ZodUnion, value: unknown): z.ZodType | undefined {
  const objects = (u.options as z.ZodType[]).filter((o): o is z.ZodObject => o instanceof z.ZodObject);
  if (u instanceof z.ZodDiscriminatedUnion && value !== null && typeof value === 'object') {
    const key = u.def.discriminator;
    const tag = (value as Record<string, unknown>)[key];
    return objects.find((o) => {
      const lit = o.shape[key];
      return lit instanceof z.ZodLiteral && lit.values.has(tag as never);
    });
  }
  return objects.length === 1 ? objects[0] : undefined;
}

