import { z } from 'zod';
import { API_VERSION, labSchema } from './schema.ts';

/**
 * The JSON Schema editors use to check and complete `*.lab.yaml` files, derived from the zod
 * schema so the two cannot disagree. Draft 7, because it is the draft YAML editors support best.
 * It describes the shape only; names that must resolve (kinds, ports, parents) are checked by
 * `labbox validate`.
 */
export function labJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(labSchema, { io: 'input', target: 'draft-7' });
  return {
    ...generated,
    title: `LabBox lab file (${API_VERSION})`,
    description: 'A LabBox lab: devices, links, scenarios and a guide. Plain data; nothing in it is executed.',
  };
}

/** The file's exact text, so a committed copy can be compared byte for byte. */
export function labJsonSchemaText(): string {
  return `${JSON.stringify(labJsonSchema(), null, 2)}\n`;
}
