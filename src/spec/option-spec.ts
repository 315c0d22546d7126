// The shape of a tunable option: its vendor name, type, default, unit and where the default
// comes from. Each model folder lists its own options in its defaults.ts.

export type OptionSource = 'doc' | 'seed' | 'model';

interface Base {
  /** The vendor's option name, as an architect types it. */
  name: string;
  source: OptionSource;
  /** One line: what it does. */
  doc: string;
  /** Where the option may be set beyond topology and scenario (agent group: desktop options). */
  groupLevel?: boolean;
}

export type OptionSpec =
  | (Base & { type: 'duration'; defaultMs: number; minMs?: number; maxMs?: number })
  | (Base & { type: 'boolean'; default: boolean })
  | (Base & { type: 'integer'; default: number; min?: number; max?: number })
  | (Base & { type: 'number'; default: number; min?: number; max?: number })
  | (Base & { type: 'string'; default: string; values?: readonly string[] });

/** A resolved option value: durations in ms, booleans, numbers, strings. */
export type OptionValue = number | boolean | string;

/** Option values set at one level (topology, scenario, agent group); already validated. */
export type OptionLayer = ReadonlyMap<string, OptionValue>;

export function durationOption(
  name: string,
  defaultMs: number,
  source: OptionSource,
  doc: string,
  extra: { minMs?: number; maxMs?: number; groupLevel?: boolean } = {},
): OptionSpec {
  return { name, type: 'duration', defaultMs, source, doc, ...extra };
}

export function booleanOption(
  name: string,
  dflt: boolean,
  source: OptionSource,
  doc: string,
  extra: { groupLevel?: boolean } = {},
): OptionSpec {
  return { name, type: 'boolean', default: dflt, source, doc, ...extra };
}

export function integerOption(
  name: string,
  dflt: number,
  source: OptionSource,
  doc: string,
  extra: { min?: number; max?: number; groupLevel?: boolean } = {},
): OptionSpec {
  return { name, type: 'integer', default: dflt, source, doc, ...extra };
}

export function numberOption(
  name: string,
  dflt: number,
  source: OptionSource,
  doc: string,
  extra: { min?: number; max?: number; groupLevel?: boolean } = {},
): OptionSpec {
  return { name, type: 'number', default: dflt, source, doc, ...extra };
}

export function stringOption(
  name: string,
  dflt: string,
  source: OptionSource,
  doc: string,
  extra: { groupLevel?: boolean; values?: readonly string[] } = {},
): OptionSpec {
  return { name, type: 'string', default: dflt, source, doc, ...extra };
}
