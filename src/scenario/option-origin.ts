// Where each option's value comes from for the application, an agent group or one person
// (`ccsim options <file> [--group G] [--person P]`). Workspace's levels (seed 003): Application
// (the topology's options, overridden by the scenario's and --set), Tenant (`tenant-options:`),
// Agent Group (`agents[].options`), Person (`agents[].persons.<agent>`); the most specific wins.

import { groupOptions, OPTION_SPECS, Options, personOptions } from '../models/options.js';
import type { OptionLayer, OptionValue } from '../spec/option-spec.js';
import type { AgentGroupSpec, ScenarioSpec, TopologySpec } from '../spec/types.js';
import { agentIndex, agentName } from '../spec/agents.js';
import { compareStrings, InputError, IssueSink } from './errors.js';

export interface OptionOriginRow {
  name: string;
  value: OptionValue;
  /** 'person sales-007', 'agent group sales', 'tenant', 'scenario', 'topology' or 'default'. */
  from: string;
}

export interface OptionOriginReport {
  /** What the values are for: 'the application', 'agent group sales', 'person sales-007 (group sales)'. */
  subject: string;
  rows: OptionOriginRow[];
}

/**
 * Resolves every option for the given group and person of a loaded topology or scenario.
 * An unknown group or person is an input error naming the flag, with a did-you-mean.
 */
export function optionOrigins(
  loaded: { kind: 'scenario'; spec: ScenarioSpec } | { kind: 'topology'; spec: TopologySpec },
  flags: { group?: string; person?: string },
): OptionOriginReport {
  const topo = loaded.kind === 'scenario' ? loaded.spec.topology : loaded.spec;
  const layers: OptionLayer[] = [topo.tenantOptions];
  const labels = ['tenant'];
  if (loaded.kind === 'scenario') {
    layers.push(loaded.spec.options);
    labels.push('scenario');
  }
  layers.push(topo.options);
  labels.push('topology');
  let opts = new Options(layers, labels);
  const sink = new IssueSink(loaded.spec.file);
  let subject = 'the application (every agent group without overrides)';
  let group: AgentGroupSpec | undefined;
  if (flags.group !== undefined) {
    group = topo.agentGroups.find((g) => g.group === flags.group);
    if (group === undefined) {
      sink.unknown(
        ['--group'],
        'agent group',
        flags.group,
        topo.agentGroups.map((g) => g.group),
      );
    }
  } else if (flags.person !== undefined) {
    // A person name says its group: the longest group name it starts with.
    group = [...topo.agentGroups]
      .sort((a, b) => b.group.length - a.group.length || compareStrings(a.group, b.group))
      .find((g) => flags.person!.startsWith(`${g.group}-`));
  }
  if (group !== undefined) {
    opts = groupOptions(opts, group);
    subject = `agent group ${group.group}`;
  }
  if (flags.person !== undefined && sink.count === 0) {
    const index =
      group === undefined ? undefined : agentIndex(group.group, group.count, flags.person);
    if (group === undefined || index === undefined) {
      sink.add(['--person'], `unknown person "${flags.person}"`, {
        expected:
          group === undefined
            ? `an agent name as agents.csv writes it (${topo.agentGroups
                .filter((g) => g.count > 0)
                .map((g) => agentName(g.group, g.count, 0))
                .join(', ')}, …)`
            : `an agent of group "${group.group}": ${agentName(group.group, group.count, 0)} … ${agentName(group.group, group.count, Math.max(0, group.count - 1))}`,
      });
    } else {
      const person = group.persons.find((p) => p.index === index);
      if (person !== undefined) opts = personOptions(opts, person);
      subject = `person ${flags.person} (agent group ${group.group})`;
    }
  }
  if (sink.count > 0) throw new InputError(sink.issues);
  const rows = [...OPTION_SPECS]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((o) => ({ name: o.name, ...opts.explain(o.name) }));
  return { subject, rows };
}
