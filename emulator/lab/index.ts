/** The lab file: read (with located errors and migration), write, and the units it uses. */
export { parseLab } from './parse.ts';
export type { ParseLabOptions, ParseLabResult } from './parse.ts';
export { serializeLab } from './serialize.ts';
export { formatLabError, formatPath } from './errors.ts';
export type { LabError, PathSegment } from './errors.ts';
export { parseDuration, parseSpeed } from './units.ts';
export { labJsonSchema, labJsonSchemaText } from './json-schema.ts';
export { API_VERSION, MAX_LAB_BYTES, MAX_LAB_DEVICES, labSchema } from './schema.ts';
export type { Lab, LabDevice, LabGuideStep, LabLink, LabScenario } from './schema.ts';
export type { Catalog } from './semantics.ts';
