// `ccsim schema [topology|scenario]`: the JSON Schema of topology or scenario files, one document
// an editor can use directly (`# yaml-language-server: $schema=…`); without a kind, both as
// `{topology, scenario}` (the first round's output, unchanged).

import { jsonSchemas } from '../scenario/json-schema.js';
import { EXIT_OK } from './errors.js';

export function schemaCommand(kind?: 'topology' | 'scenario'): number {
  const all = jsonSchemas();
  process.stdout.write(`${JSON.stringify(kind === undefined ? all : all[kind], null, 2)}\n`);
  return EXIT_OK;
}
