// `ccsim schema`: the JSON Schema of scenario and topology files.

import { jsonSchemas } from '../scenario/json-schema.js';
import { EXIT_OK } from './errors.js';

export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(jsonSchemas(), null, 2)}\n`);
  return EXIT_OK;
}
