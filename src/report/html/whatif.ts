// The what-if of report.html (SPEC §5.5): a form of the options that matter for the scenario,
// each field named by its `--set` key, and a Re-run button. The page carries the simulator (the
// bundle of src/web/whatif.ts, built from the same src/sim, src/models, src/scenario and
// src/report), the parsed scenario and topology documents and the run's seed and replications;
// a re-run validates the changed fields with the command line's rules and messages, runs in a
// Web Worker, and shows the means of stats.csv beside the original ones. No file access here:
// `../html.ts` reads the bundle and the documents.

import { OPTIONS_BY_NAME, defaultOf } from '../../models/options.js';
import type { OptionSpec, OptionValue } from '../../spec/option-spec.js';
import { REDUNDANCY } from '../../spec/kinds.js';
import { compareStrings } from '../../sim/order.js';
import { formatDuration } from '../../scenario/duration.js';
import { ScenarioFileSchema, shapeOf } from '../../scenario/schema.js';
import type { ScenarioDocuments } from '../../scenario/resolve.js';
import type { ScenarioSpec } from '../../spec/types.js';
import { isWorse } from '../direction.js';
import { parseCsv } from './csv-parse.js';
import { esc, jsonForScript } from './escape.js';
import { packedScriptHtml, UNPACK_JS } from './page.js';

/**
 * What every what-if form lists (SPEC §5.5): options, when the option registry has them, and
 * scenario keys a `--set` reaches, when the scenario schema has them (an enum: a select).
 */
export const WHATIF_OPTIONS: readonly string[] = [
  'addp-timeout',
  'disaster-recovery.timeout',
  'disaster-recovery.auto-restore',
  'sipendpoint.reg_timeout',
  'routing.policy',
];

/** Options that matter for a fault kind (SPEC §5.5), listed when the scenario has one. */
const FAULT_OPTIONS: Readonly<Partial<Record<string, readonly string[]>>> = {
  'gateway-down': ['carrier-detect-time', 'carrier-options-interval'],
  'wan-degrade': ['tcp-retransmit-timeout', 'sip-t1'],
};

/** Scenario keys of WHATIF_OPTIONS, with the value a scenario that omits them runs with. */
const SCENARIO_KEY_DEFAULTS: Readonly<Record<string, string>> = {
  'routing.policy': 'local-only', // SPEC §5: without routing, calls are routed local-only
};

/** What the page needs to re-run the scenario; built by `../html.ts` from the run. */
export interface WhatIfInput {
  /** The scenario and topology documents as parsed from their files, before any override. */
  docs: ScenarioDocuments;
  /** The run's own `--set`, seed and replications. */
  base: { sets: string[]; seed: number; replications?: number };
  /** The run validated (the spec the report was written from). */
  spec: ScenarioSpec;
  /** The command that ran the report, without its `--set` (`ccsim run scenarios/x.yaml`). */
  command: string;
  /** The bundled simulator (dist/web/whatif.js), gzip-compressed, base64. */
  bundle: string;
}

/** One field of the form. */
export interface WhatIfField {
  /** The `--set` key. */
  key: string;
  /** The value the run had, as one would type it after `--set key=`. */
  value: string;
  /** A select's choices; a text input when absent. */
  choices?: readonly string[];
  /** One line: what it does. */
  doc: string;
}

/** The data the page script reads (JSON in a script element). */
export interface WhatIfData {
  docs: ScenarioDocuments;
  base: WhatIfInput['base'];
  command: string;
  /** summary.csv's replication numbers: a re-run runs the same ones. */
  replications: number[];
  /** stats.csv of the run: metric → mean as written. */
  original: Record<string, string>;
  fields: WhatIfField[];
}

/** A string option's allowed values, when the registry lists them. */
function choicesOf(spec: OptionSpec): readonly string[] | undefined {
  const s = spec as unknown as Record<string, unknown>;
  for (const k of ['values', 'choices', 'enum']) {
    const v = s[k];
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'))
      return v as string[];
  }
  return undefined;
}

/** The values of an enum at `path` in the scenario schema, when the schema has one there. */
export function scenarioEnum(path: readonly string[]): readonly string[] | undefined {
  let s: Parameters<typeof shapeOf>[0] = ScenarioFileSchema;
  for (const k of path) {
    const next = shapeOf(s)[k];
    if (next === undefined) return undefined;
    s = next;
  }
  let def = s._zod.def as unknown as {
    type: string;
    innerType?: typeof s;
    entries?: Record<string, unknown>;
  };
  while (def.innerType !== undefined) def = def.innerType._zod.def as unknown as typeof def;
  if (def.type !== 'enum' || def.entries === undefined) return undefined;
  const values = Object.values(def.entries);
  return values.every((v): v is string => typeof v === 'string') ? values : undefined;
}

/** A value at `path` in a parsed document, when it is a string. */
function rawString(raw: unknown, path: readonly string[]): string | undefined {
  let v = raw;
  for (const k of path)
    v =
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? (v as Record<string, unknown>)[k]
        : undefined;
  return typeof v === 'string' ? v : undefined;
}

function typed(spec: OptionSpec, v: OptionValue): string {
  if (spec.type === 'duration' && typeof v === 'number') return formatDuration(v);
  return String(v);
}

function optionNames(layer: unknown): string[] {
  return layer !== null && typeof layer === 'object' && !Array.isArray(layer)
    ? Object.keys(layer)
    : [];
}

/**
 * The form's fields: the options of WHATIF_OPTIONS the registry has, every option the scenario
 * or the topology sets, then each pair's redundancy. Values are those the run resolved at the
 * scenario level (scenario, topology, built-in default).
 */
export function whatIfFields(spec: ScenarioSpec, docs: ScenarioDocuments): WhatIfField[] {
  const set = [
    ...optionNames(docs.scenario.raw['options']),
    ...optionNames(docs.topology.raw['options']),
  ].sort(compareStrings);
  const forFaults = [...new Set(spec.faults.map((f) => f.kind))]
    .sort(compareStrings)
    .flatMap((k) => FAULT_OPTIONS[k] ?? []);
  const names = [...new Set([...WHATIF_OPTIONS, ...forFaults, ...set])];
  const fields: WhatIfField[] = [];
  for (const name of names) {
    const o = OPTIONS_BY_NAME.get(name);
    if (o !== undefined) {
      const v = spec.options.get(name) ?? spec.topology.options.get(name) ?? defaultOf(o);
      const choices =
        o.type === 'boolean' ? ['true', 'false'] : o.type === 'string' ? choicesOf(o) : undefined;
      fields.push({ key: name, value: typed(o, v), ...(choices ? { choices } : {}), doc: o.doc });
      continue;
    }
    const dflt = SCENARIO_KEY_DEFAULTS[name];
    const path = name.split('.');
    const choices = dflt === undefined ? undefined : scenarioEnum(path);
    if (dflt === undefined || choices === undefined) continue;
    const value = rawString(docs.scenario.raw, path) ?? dflt;
    fields.push({ key: name, value, choices, doc: `scenario ${path.join(': ')}` });
  }
  for (const p of [...spec.topology.pairs].sort((a, b) => compareStrings(a.id, b.id))) {
    fields.push({
      key: `pairs.${p.id}.redundancy`,
      value: p.redundancy,
      choices: REDUNDANCY,
      doc: `${p.type} pair ${p.primary} / ${p.backup}`,
    });
  }
  return fields;
}

/** stats.csv → metric → mean as written. */
export function statsMeans(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const r of parseCsv(text, 'stats.csv').rows)
    if (r['metric'] !== undefined) out[r['metric']] = r['mean'] ?? '';
  return out;
}

export function whatIfData(
  input: WhatIfInput,
  replications: number[],
  files: ReadonlyMap<string, string>,
): WhatIfData {
  return {
    docs: input.docs,
    base: input.base,
    command: input.command,
    replications,
    original: statsMeans(files.get('stats.csv')),
    fields: whatIfFields(input.spec, input.docs),
  };
}

function fieldHtml(f: WhatIfField): string {
  const label = `<span class="k">${esc(f.key)}</span>`;
  const control = f.choices
    ? `<select name="${esc(f.key)}" data-initial="${esc(f.value)}">${f.choices.map((c) => `<option${c === f.value ? ' selected' : ''}>${esc(c)}</option>`).join('')}</select>`
    : `<input type="text" name="${esc(f.key)}" value="${esc(f.value)}" data-initial="${esc(f.value)}" size="8" spellcheck="false" autocomplete="off">`;
  return `<label title="${esc(f.doc)}">${label}${control}</label>`;
}

/** The what-if section: the form, and the places the page script fills in. */
export function whatIfFormHtml(data: WhatIfData): string {
  const reps = data.replications.length;
  return [
    `<section id="whatif"><style>${WHATIF_CSS}</style><h2>What if…</h2>`,
    `<p class="note">Change an option and re-run this scenario here, with the report's seed (${esc(data.base.seed)}) and ${reps} replication${reps === 1 ? '' : 's'}: the simulator is in this page and runs off its main thread, with no network. The numbers are those <code>ccsim run … --set KEY=VALUE</code> writes.</p>`,
    `<form id="whatif-form" autocomplete="off"><div class="wif">${data.fields.map(fieldHtml).join('')}</div>`,
    '<div class="wbar"><button type="submit" id="whatif-run" disabled>Re-run</button> <button type="button" id="whatif-reset">Back to the run</button> <progress id="whatif-progress" max="1" value="0" hidden></progress> <span id="whatif-status" class="note" role="status"></span></div>',
    '<div id="whatif-command" class="note"></div><div id="whatif-errors" class="bad" role="alert"></div></form>',
    '<div id="whatif-result"></div>',
    '</section>',
  ].join('');
}

/**
 * Starts the what-if: unpacks the simulator (gzip, base64) with the browser's own
 * DecompressionStream and runs it from a blob: URL, which its Web Worker then reuses. No request,
 * no eval; the page's CSP allows scripts and workers from blob: URLs the page made.
 */
const BOOT = `(function () {
  var el = document.getElementById('ccsim-whatif-code');
  var status = document.getElementById('whatif-status');
  function fail(why) { if (status) status.textContent = 'The what-if cannot run in this browser: ' + why; }
  if (!el) return;
  if (typeof DecompressionStream === 'undefined' || typeof Worker === 'undefined') return fail('it lacks DecompressionStream or Worker');
  ${UNPACK_JS}
  unpack(el.textContent).then(function (code) {
    var s = document.createElement('script');
    s.src = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    document.body.appendChild(s);
  }, function (e) { fail(String(e)); });
})();`;

/** The script elements: the data, the packed simulator (not run as is), and its loader. */
export function whatIfScripts(data: WhatIfData, packed: string): string {
  return [
    `<script type="application/json" id="ccsim-whatif-data">${jsonForScript(data)}</script>`,
    packedScriptHtml('id="ccsim-whatif-code"', packed),
    `<script>${BOOT}</script>`,
  ].join('\n');
}

/** A word of a shell command, quoted when it needs to be (as the replay commands are). */
export function shellWord(w: string): string {
  return /^[\w./=:,-]+$/.test(w) ? w : JSON.stringify(w);
}

/** The command line that gives the same numbers as a re-run with these `--set`. */
export function whatIfCommand(command: string, sets: readonly string[]): string {
  return [command, ...sets.flatMap((s) => ['--set', shellWord(s)])].join(' ');
}

function decimals(v: string): number {
  const dot = v.indexOf('.');
  return dot < 0 ? 0 : v.length - dot - 1;
}

/**
 * `#whatif-summary`: a row per metric of the re-run's stats.csv (`data-metric`, and `data-value`
 * the mean as stats.csv writes it) beside the run's own mean, the change coloured when worse or
 * better.
 */
export function whatIfSummaryHtml(
  original: Readonly<Record<string, string>>,
  rerun: Readonly<Record<string, string>>,
): string {
  const rows = Object.keys(rerun).map((m) => {
    const v = rerun[m]!;
    const o = original[m];
    let delta = '';
    let cls = '';
    if (o !== undefined && o !== '' && v !== '' && o !== v) {
      const a = Number(o);
      const b = Number(v);
      if (Number.isFinite(a) && Number.isFinite(b)) {
        const d = b - a;
        const text = Math.abs(d).toFixed(Math.max(decimals(o), decimals(v)));
        delta = `${d > 0 ? '+' : d < 0 ? '−' : '±'}${text}`;
        cls = isWorse(m, a, b) ? ' worse' : isWorse(m, b, a) ? ' better' : '';
      } else delta = 'changed';
    }
    return `<tr data-metric="${esc(m)}" data-value="${esc(v)}"${delta !== '' ? ' class="changed"' : ''}><td>${esc(m)}</td><td class="n">${esc(o ?? '')}</td><td class="n">${esc(v)}</td><td class="n${cls}">${esc(delta)}</td></tr>`;
  });
  return `<table class="data" id="whatif-summary"><thead><tr><th>metric (mean)</th><th class="n">this report</th><th class="n">re-run</th><th class="n">change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Styles of the what-if section (the page's own CSS covers tables and notes). */
export const WHATIF_CSS = `
#whatif .wif { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 4px 14px; margin: 8px 0; }
#whatif label { display: flex; justify-content: space-between; align-items: center; gap: 8px; font-size: 12.5px; }
#whatif label .k { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
#whatif input, #whatif select { font: inherit; width: 7.5em; padding: 1px 4px; }
#whatif input.edited, #whatif select.edited { background: #fff8e1; border-color: #f9a825; }
#whatif .wbar { display: flex; align-items: center; gap: 10px; margin: 6px 0; }
#whatif button { font: inherit; padding: 3px 14px; }
#whatif #whatif-errors { white-space: pre-wrap; font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
#whatif-summary tr.changed td:first-child { font-weight: 600; }
#whatif-summary tr:not(.changed) td { color: var(--muted); }
`;
