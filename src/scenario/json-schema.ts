// `ccsim schema`: JSON Schema (draft 2020-12) of topology and scenario files, generated from the
// same zod schemas the loader validates with, so editors and the loader never disagree on shape.

import { z } from 'zod';
import { ScenarioFileSchema, TopologyFileSchema } from './schema.js';

function schemaOf(schema: z.core.$ZodType, title: string, description: string): object {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return { ...json, title, description };
}

export function jsonSchemas(): { topology: object; scenario: object } {
  return {
    topology: schemaOf(
      TopologyFileSchema,
      'ccsim topology',
      'Sites, hosts, apps, HA pairs, agent groups and options of a two-site contact center (SPEC §1.1).',
    ),
    scenario: schemaOf(
      ScenarioFileSchema,
      'ccsim scenario',
      'Run settings, traffic, option overrides, faults, random failures and expectations (SPEC §1.2).',
    ),
  };
}
