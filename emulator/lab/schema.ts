import { z } from 'zod';
import { scenarioSchema } from '../scenario/schema.ts';

/**
 * Lab file v1: the single source of truth for its shape. The TypeScript types, the validator
 * and the JSON Schema in `labs/lab.schema.json` are all derived from these definitions.
 * Objects are strict: an unknown key is an error, never silently dropped. The order of fields in
 * each object here is the order `serializeLab` writes them in, so keep it the reading order.
 */

export const API_VERSION = 'labbox/v1';

/** Refused before parsing: bigger inputs are not labs anyone draws, and parsing them costs memory. */
export const MAX_LAB_BYTES = 20 * 1024 * 1024;
export const MAX_LAB_DEVICES = 200_000;

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/, 'a name: a letter, then letters, digits, "_", "." or "-" (at most 63)');

/** Durations are written as `250ms`, `10s`, `12m`, `1h` or a bare number of seconds. */
export const duration = z.union(
  [
    z.number().nonnegative(),
    z.string().regex(/^\d+(\.\d+)?(ns|us|ms|s|m|h)$/, 'a duration such as 500ms, 10s, 12m or 1h'),
  ],
  { error: 'a duration such as 500ms, 10s, 12m, 1h or a number of seconds' },
);

/** Speeds are written as `100M`, `1G`, `10G` or a bare number of bits per second. */
export const speed = z.union(
  [z.number().positive(), z.string().regex(/^\d+(\.\d+)?[KMGT]$/, 'a speed such as 100M, 1G or 10G')],
  { error: 'a speed such as 100M, 1G, 10G or a number of bits per second' },
);

const endpoint = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*:.+$/, 'an endpoint "device:port"');

const settingValue = z.union([z.string(), z.number(), z.boolean()], { error: 'a string, number or boolean' });

export const positionSchema = z.strictObject({ x: z.number(), y: z.number() });

export const deviceSchema = z.strictObject({
  name: name.describe('Unique name of the device in this lab, used by links and parents.'),
  kind: z.string().min(1).describe('Device kind from the LabBox catalog, e.g. a switch or host model.'),
  /** Name of the container device (enclosure, cluster, stack) this device sits in. */
  parent: name.describe('Name of the device this one sits in.').optional(),
  /** Slot / bay inside the parent, when the parent has numbered bays. */
  slot: z.string().describe('Slot or bay inside the parent.').optional(),
  position: positionSchema.describe('Where the device is drawn on the canvas.').optional(),
  settings: z.record(z.string(), settingValue).describe('Per-kind settings; which keys a kind accepts is checked by `labbox validate`.').optional(),
  /** Startup configuration in the vendor's own syntax, parsed by the kind's CLI. */
  config: z.string().describe("Startup configuration in the vendor's own syntax.").optional(),
  notes: z.string().optional(),
});

export const linkSchema = z.strictObject({
  a: endpoint.describe("One end, as device:port (port names accept the vendor's short forms)."),
  b: endpoint.describe('The other end, as device:port.'),
  /** e.g. `1G`, `10G`, `100M`, or bits per second. Defaults to the slower port's speed. */
  speed: speed.describe("Link speed; defaults to the slower port's speed.").optional(),
  delay: duration.describe('One-way propagation delay.').optional(),
  /** Administrative state at start. */
  up: z.boolean().optional(),
});

/** The scenario language lives in emulator/scenario; a lab holds a list of them. Data, never code. */
export { scenarioSchema };

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
  apiVersion: z.literal(API_VERSION).describe('Format version. Older files are migrated when opened; newer ones need a newer LabBox.'),
  kind: z.literal('Lab'),
  metadata: metadataSchema,
  devices: z.array(deviceSchema).max(MAX_LAB_DEVICES).default([]).describe('The devices in the lab.'),
  links: z.array(linkSchema).default([]).describe('Cables between device ports; a port takes one link.'),
  scenarios: z.array(scenarioSchema).default([]).describe('Scripted runs: traffic, steps and expectations. Declarative data, never code.'),
  guide: z.array(guideStepSchema).default([]).describe('Steps, hints and checks of a guided lab.'),
});

export type Lab = z.infer<typeof labSchema>;
export type LabDevice = z.infer<typeof deviceSchema>;
export type LabLink = z.infer<typeof linkSchema>;
export type LabScenario = z.infer<typeof scenarioSchema>;
export type LabGuideStep = z.infer<typeof guideStepSchema>;
