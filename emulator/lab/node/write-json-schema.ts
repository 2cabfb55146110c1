import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labJsonSchemaText } from '../json-schema.ts';

/** `npm run schema`: regenerates labs/lab.schema.json from the zod schema. */
const target = fileURLToPath(new URL('../../../labs/lab.schema.json', import.meta.url));
writeFileSync(target, labJsonSchemaText());
console.log(`wrote ${target}`);
