// From parsed documents to a validated scenario: applies `--set`, `--seed` and `--replications`,
// validates topology and scenario, and reports problems against the override that caused them.
// No file access: `load.ts` reads the files and comes here, and so does the report page's
// what-if (the same checks and messages as the command line).

import { ISSUES_MAX } from './limits.js';
import { IssueSink, InputError, formatIssue, type InputIssue } from './errors.js';
import { validateScenario } from './scenario.js';
import { applySets, parseSetArgs, remapIssues, type SetOrigin, type SetOverride } from './sets.js';
import { validateTopology } from './topology.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { YamlFile } from './yaml-text.js';

export interface ResolveOptions {
  /** `--set K=V` arguments, applied in order. */
  sets?: readonly string[];
  /** `--seed`: replaces the scenario's seed. */
  seed?: number;
  /** `--replications`: replaces the scenario's replications. */
  replications?: number;
}

/** Throws every issue once, in the order found. */
export function failWith(issues: InputIssue[], overflow = 0): never {
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const k = formatIssue(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (overflow > 0) {
    // First, so that it is seen whatever number of issues is printed.
    unique.unshift({
      file: issues[0]?.file ?? '',
      path: '',
      message: `more than ${ISSUES_MAX} issues: ${overflow} beyond the first ${ISSUES_MAX} were counted, not listed`,
    });
  }
  throw new InputError(unique);
}

/**
 * The validated scenario from its parsed document and its topology's (both changed in place by
 * the overrides); `sets` are the already parsed `opts.sets`. Throws InputError listing every
 * problem in the sink.
 */
export function resolveScenario(
  doc: YamlFile | undefined,
  topoDoc: YamlFile | undefined,
  topoSink: IssueSink | undefined,
  sink: IssueSink,
  sets: readonly SetOverride[],
  opts: ResolveOptions,
): ScenarioSpec {
  const path = sink.file;
  const origins: SetOrigin[] = [];
  if (doc !== undefined) {
    origins.push(...applySets(sets, doc, topoDoc, sink));
    if (opts.seed !== undefined) {
      doc.raw['seed'] = opts.seed;
      origins.push({ file: path, path: 'seed', toFile: '--seed', toPath: '' });
    }
    if (opts.replications !== undefined) {
      doc.raw['replications'] = opts.replications;
      origins.push({ file: path, path: 'replications', toFile: '--replications', toPath: '' });
    }
  }
  const topology =
    topoDoc !== undefined && topoSink !== undefined
      ? validateTopology(topoDoc, topoSink)
      : undefined;
  const spec =
    doc === undefined ? undefined : validateScenario(doc, topology, opts.sets ?? [], sink);
  remapIssues(sink.issues, origins);
  if (spec === undefined || sink.count > 0) failWith(sink.issues, sink.overflow);
  return spec;
}

/** A scenario and its topology as parsed from their files, before any override. */
export interface ScenarioDocuments {
  scenario: YamlFile;
  topology: YamlFile;
}

/**
 * The validated scenario from documents read earlier (the report page's what-if): the same as
 * loading the files with these options. The documents are not changed.
 */
export function scenarioFromDocuments(
  docs: ScenarioDocuments,
  opts: ResolveOptions = {},
): ScenarioSpec {
  const sink = new IssueSink(docs.scenario.file);
  const sets = parseSetArgs(opts.sets ?? [], sink);
  const doc = { ...docs.scenario, raw: structuredClone(docs.scenario.raw) };
  const topoDoc = { ...docs.topology, raw: structuredClone(docs.topology.raw) };
  return resolveScenario(doc, topoDoc, sink.forFile(topoDoc.file), sink, sets, opts);
}
