import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labJsonSchema, labJsonSchemaText } from './json-schema.ts';

const committed = new URL('../../labs/lab.schema.json', import.meta.url);

describe('the editor JSON Schema', () => {
  it('is committed exactly as the zod schema generates it (run `npm run schema` after changing schema.ts)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(labJsonSchemaText());
  });

  it('is strict where the loader is strict, and optional where the loader fills defaults', () => {
    const schema = labJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: { devices: { items: { required: string[]; additionalProperties: boolean } } };
    };
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.devices.items.required).toEqual(['name', 'kind']);
    expect(schema.properties.devices.items.additionalProperties).toBe(false);
  });
});
