// The registry of every option ccsim knows: vendor names, types and defaults, gathered from
// each model's defaults.ts. The scenario layer validates and resolves against it.

import { mapObjects } from '../sim/index.js';
import { CONFIG_OPTIONS } from './config/defaults.js';
import { CTI_OPTIONS } from './cti/defaults.js';
import { DESKTOP_OPTIONS } from './desktop/defaults.js';
import { HA_OPTIONS } from './ha-pair/defaults.js';
import { HOST_OPTIONS } from './host/defaults.js';
import { ICON_OPTIONS } from './icon/defaults.js';
import { LCA_OPTIONS } from './lca/defaults.js';
import { NETWORK_OPTIONS } from './network/defaults.js';
import type { OptionLayer, OptionSpec, OptionValue } from '../spec/option-spec.js';
import type { AgentGroupSpec, PersonSpec, ScenarioSpec } from '../spec/types.js';
import { SCS_OPTIONS } from './scs/defaults.js';
import { STATSERVER_OPTIONS } from './statserver/defaults.js';
import { CALL_OPTIONS, TELEPHONY_OPTIONS } from './telephony/defaults.js';

export const OPTION_SPECS = [
  ...HOST_OPTIONS,
  ...LCA_OPTIONS,
  ...SCS_OPTIONS,
  ...HA_OPTIONS,
  ...CTI_OPTIONS,
  ...TELEPHONY_OPTIONS,
  ...CALL_OPTIONS,
  ...NETWORK_OPTIONS,
  ...STATSERVER_OPTIONS,
  ...CONFIG_OPTIONS,
  ...ICON_OPTIONS,
  ...DESKTOP_OPTIONS,
] as const satisfies readonly OptionSpec[];

/** Every option name the models know: a typo in `opts.ms('…')` fails to compile. */
export type OptionName = (typeof OPTION_SPECS)[number]['name'];

export const OPTIONS_BY_NAME: ReadonlyMap<string, OptionSpec> = new Map(
  mapObjects(OPTION_SPECS, (o): [string, OptionSpec] => [o.name, o]),
);

export function defaultOf(spec: OptionSpec): OptionValue {
  return spec.type === 'duration' ? spec.defaultMs : spec.default;
}

/** Where a resolved value came from: the label of the level that set it, or the default. */
export interface OptionOrigin {
  value: OptionValue;
  /** The level's label ('person sales-007', 'agent group sales', 'tenant', 'scenario', …); 'default' when none set it. */
  from: string;
}

/**
 * Resolved options: the most specific level that sets a name wins. Workspace's object levels
 * (seed 003: Application, Tenant, Agent Group, Person) in front of the application level, which
 * the scenario (incl. --set) overrides over the topology:
 * person → agent group → tenant → scenario → topology → built-in default.
 */
export class Options {
  /**
   * Each name's value once resolved: the layers are read-only, so the answer never changes
   * (desktops read their options on every login and retry; one lookup instead of one per layer).
   */
  private readonly resolved = new Map<string, OptionValue>();
  /** The views withLayer made, by layer and label: built once, whoever asks again. */
  private readonly views = new Map<OptionLayer, { label: string; view: Options }[]>();

  constructor(
    private readonly layers: readonly OptionLayer[],
    private readonly labels: readonly string[] = [],
  ) {}

  /**
   * A view with a more specific layer in front (an agent group's or a person's overrides). The
   * same layer and label give the same view (its resolved values are kept with it).
   */
  withLayer(layer: OptionLayer, label = 'agent group'): Options {
    let known = this.views.get(layer);
    if (known === undefined) {
      known = [];
      this.views.set(layer, known);
    }
    for (const k of known) if (k.label === label) return k.view;
    const view = new Options(
      [layer, ...this.layers],
      [label, ...mapObjects(this.layers, (_, i) => this.labels[i] ?? `level ${i}`)],
    );
    known.push({ label, view });
    return view;
  }

  private raw(name: string): OptionValue {
    const v = this.resolved.get(name);
    if (v !== undefined) return v;
    const r = this.resolve(name);
    this.resolved.set(name, r);
    return r;
  }

  private resolve(name: string): OptionValue {
    for (const l of this.layers) {
      const v = l.get(name);
      if (v !== undefined) return v;
    }
    const spec = OPTIONS_BY_NAME.get(name);
    if (!spec) throw new Error(`unknown option "${name}" (programmer error: not in OPTION_SPECS)`);
    return defaultOf(spec);
  }

  /** The value of `name` and the level it came from. */
  explain(name: string): OptionOrigin {
    for (const [i, l] of this.layers.entries()) {
      const v = l.get(name);
      if (v !== undefined) return { value: v, from: this.labels[i] ?? `level ${i}` };
    }
    return { value: this.resolve(name), from: 'default' };
  }

  /** A duration in ms. */
  ms(name: OptionName): number {
    const v = this.raw(name);
    if (typeof v !== 'number') throw new Error(`option ${name} is not a duration`);
    return v;
  }

  num(name: OptionName): number {
    const v = this.raw(name);
    if (typeof v !== 'number') throw new Error(`option ${name} is not a number`);
    return v;
  }

  bool(name: OptionName): boolean {
    const v = this.raw(name);
    if (typeof v !== 'boolean') throw new Error(`option ${name} is not a boolean`);
    return v;
  }

  str(name: OptionName): string {
    const v = this.raw(name);
    if (typeof v !== 'string') throw new Error(`option ${name} is not a string`);
    return v;
  }
}

/**
 * The application-level options of a scenario, as its replications read them (tenant, then the
 * scenario with its --set, then the topology): one view for all its replications, since they do
 * not depend on the seed, and a view keeps the values it has resolved (and the agent groups'
 * and persons' views). explore's judge reads the same values (restart times, reg_timeout).
 */
const OPTIONS_OF_SPEC = new WeakMap<ScenarioSpec, Options>();
export function scenarioOptions(spec: ScenarioSpec): Options {
  let opts = OPTIONS_OF_SPEC.get(spec);
  if (opts === undefined) {
    const topo = spec.topology;
    opts = new Options(
      [topo.tenantOptions, spec.options, topo.options],
      ['tenant', 'scenario', 'topology'],
    );
    OPTIONS_OF_SPEC.set(spec, opts);
  }
  return opts;
}

/**
 * An agent group's options (Workspace's Agent Group level, seed 003) in front of `opts`: the
 * desktops, `ccsim options` and explore read a group's values through this one view.
 */
export function groupOptions(opts: Options, g: Pick<AgentGroupSpec, 'group' | 'options'>): Options {
  return opts.withLayer(g.options, `agent group ${g.group}`);
}

/** A person's options (the most specific level) in front of its group's view. */
export function personOptions(group: Options, p: Pick<PersonSpec, 'agent' | 'options'>): Options {
  return group.withLayer(p.options, `person ${p.agent}`);
}
