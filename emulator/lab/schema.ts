import { z } from 'zod';

/**
 * Lab file v1: the single source of truth for its shape. The TypeScript types, the validator
 * and the JSON Schema in `labs/lab.schema.json` are all derived from these definitions.
 * Objects are strict: an unknown key is an error, never silently dropped.
 */

export const API_VERSION = 'labbox/v1';

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/, 'a name: a letter, then letters, digits, "_", "." or "-" (at most 63)');

/** Durations are written as `250ms`, `10s`, `12m`, `1h` or a bare number of seconds. */
export const duration = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?(ns|us|ms|s|m|h)$/, 'a duration such as 500ms, 10s, 12m or 1h'),
]);

const endpoint = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*:.+$/, 'an endpoint "device:port"');

const settingValue = z.union([z.string(), z.number(), z.boolean()]);

export const positionSchema = z.strictObject({ x: z.number(), y: z.number() });

export const deviceSchema = z.strictObject({
  name,
  kind: z.string().min(1),
  position: positionSchema.optional(),
  /** Name of the container device (enclosure, cluster, stack) this device sits in. */
  parent: name.optional(),
  /** Slot / bay inside the parent, when the parent has numbered bays. */
  slot: z.string().optional(),
  settings: z.record(z.string(), settingValue).optional(),
  /** Startup configuration in the vendor's own syntax, parsed by the kind's CLI. */
  config: z.string().optional(),
  notes: z.string().optional(),
});

export const linkSchema = z.strictObject({
  a: endpoint,
  b: endpoint,
  /** e.g. `1G`, `10G`, `100M`, or bits per second. Defaults to the slower port's speed. */
  speed: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?[KMG]$/, 'a speed such as 100M, 1G or 10G')]).optional(),
  delay: duration.optional(),
  /** Administrative state at start. */
  up: z.boolean().optional(),
});

/** Reserved in v1; the scenario language fills these in. Anything here is data, never code. */
export const scenarioSchema = z.strictObject({
  name,
  title: z.string().optional(),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().optional(),
  duration: duration.optional(),
  traffic: z.array(z.record(z.string(), z.unknown())).optional(),
  steps: z.array(z.record(z.string(), z.unknown())).optional(),
  expect: z.array(z.record(z.string(), z.unknown())).optional(),
});

/** Reserved in v1 for guided labs: steps, hints and checks. */
export const guideStepSchema = z.strictObject({
  title: z.string(),
  text: z.string().optional(),
  hints: z.array(z.string()).optional(),
  checks: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const metadataSchema = z.strictObject({
  name,
  title: z.string().optional(),
  description: z.string().optional(),
  author: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

export const labSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Lab'),
  metadata: metadataSchema,
  devices: z.array(deviceSchema).default([]),
  links: z.array(linkSchema).default([]),
  scenarios: z.array(scenarioSchema).default([]),
  guide: z.array(guideStepSchema).default([]),
});

export type Lab = z.infer<typeof labSchema>;
export type LabDevice = z.infer<typeof deviceSchema>;
export type LabLink = z.infer<typeof linkSchema>;
export type LabScenario = z.infer<typeof scenarioSchema>;
export type LabGuideStep = z.infer<typeof guideStepSchema>;
