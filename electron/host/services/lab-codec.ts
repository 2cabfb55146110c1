/**
 * The host's one doorway to the lab-file format (emulator/lab): parse with every error located,
 * serialize in stable key order, and the CLI's error line.
 */
export { parseLab, type ParseLabResult } from '../../../emulator/lab/parse.ts';
export { serializeLab } from '../../../emulator/lab/serialize.ts';
export { formatLabError } from '../../../emulator/lab/errors.ts';
export { parseDuration } from '../../../emulator/lab/units.ts';
