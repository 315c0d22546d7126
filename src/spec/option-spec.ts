// The shape of a tunable option: its vendor name, type, default, unit and where the default
// comes from. Each model folder lists its own options in its defaults.ts.

export type OptionSource = 'doc' | 'seed' | 'model';

interface Base<N extends string> {
  /** The vendor's option name, as an architect types it. */
  name: N;
  source: OptionSource;
  /** One line: what it does. */
  doc: string;
  /** Where the option may be set beyond topology and scenario (agent group: desktop options). */
  groupLevel?: boolean;
}

/** An option; `N` is its name as a literal type (the registry's names form `OptionName`). */
export type OptionSpec<N extends string = string> =
  | (Base<N> & { type: 'duration'; defaultMs: number; minMs?: number; maxMs?: number })
  | (Base<N> & { type: 'boolean'; default: boolean })
  | (Base<N> & { type: 'integer'; default: number; min?: number; max?: number })
  | (Base<N> & { type: 'number'; default: number; min?: number; max?: number })
  | (Base<N> & { type: 'string'; default: string; values?: readonly string[] });

/** A resolved option value: durations in ms, booleans, numbers, strings. */
export type OptionValue = number | boolean | string;

/** Option values set at one level (topology, scenario, agent group); already validated. */
export type OptionLayer = ReadonlyMap<string, OptionValue>;

export function durationOption<N extends string>(
  name: N,
  defaultMs: number,
  source: OptionSource,
  doc: string,
  extra: { minMs?: number; maxMs?: number; groupLevel?: boolean } = {},
): OptionSpec<N> {
  return { name, type: 'duration', defaultMs, source, doc, ...extra };
}

export function booleanOption<N extends string>(
  name: N,
  dflt: boolean,
  source: OptionSource,
  doc: string,
  extra: { groupLevel?: boolean } = {},
): OptionSpec<N> {
  return { name, type: 'boolean', default: dflt, source, doc, ...extra };
}

export function integerOption<N extends string>(
  name: N,
  dflt: number,
  source: OptionSource,
  doc: string,
  extra: { min?: number; max?: number; groupLevel?: boolean } = {},
): OptionSpec<N> {
  return { name, type: 'integer', default: dflt, source, doc, ...extra };
}

export function numberOption<N extends string>(
  name: N,
  dflt: number,
  source: OptionSource,
  doc: string,
  extra: { min?: number; max?: number; groupLevel?: boolean } = {},
): OptionSpec<N> {
  return { name, type: 'number', default: dflt, source, doc, ...extra };
}

export function stringOption<N extends string>(
  name: N,
  dflt: string,
  source: OptionSource,
  doc: string,
  extra: { groupLevel?: boolean; values?: readonly string[] } = {},
): OptionSpec<N> {
  return { name, type: 'string', default: dflt, source, doc, ...extra };
}
