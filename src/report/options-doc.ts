// The option reference (every option, its default and source) as text and as the README's
// model-assumption table, generated from the registry so the docs cannot drift.

import { OPTION_SPECS, defaultOf } from '../models/options.js';
import type { OptionSpec, OptionValue } from '../spec/option-spec.js';
import { formatDuration } from '../scenario/duration.js';

export function defaultText(o: OptionSpec): string {
  return valueText(o, defaultOf(o));
}

/** A value of option `o` as a user writes it (durations with their unit). */
export function valueText(o: OptionSpec, v: OptionValue): string {
  if (o.type === 'duration') return formatDuration(v as number);
  if (o.type === 'string') return v === '' ? '(empty)' : String(v);
  return String(v);
}

function row(o: OptionSpec): string {
  return `| \`${o.name}\` | ${defaultText(o)} | ${o.doc}${o.groupLevel ? ' (agent group level)' : ''} |`;
}

/** Markdown table of the options whose default is our modelling choice. */
export function modelAssumptionsMarkdown(): string {
  const lines = ['| option | default | what it is |', '|---|---|---|'];
  for (const o of [...OPTION_SPECS]
    .filter((x) => x.source === 'model')
    .sort((a, b) => (a.name < b.name ? -1 : 1)))
    lines.push(row(o));
  return lines.join('\n');
}

/** Markdown table of every option. */
export function optionsMarkdown(): string {
  const lines = ['| option | default | source | what it is |', '|---|---|---|---|'];
  for (const o of [...OPTION_SPECS].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push(
      `| \`${o.name}\` | ${defaultText(o)} | ${o.source} | ${o.doc}${o.groupLevel ? ' (agent group level)' : ''} |`,
    );
  }
  return lines.join('\n');
}
