// Loads topology and scenario files into the validated model (types.ts). Every problem in every
// file involved is collected and thrown at once as one InputError; nothing half-valid escapes.

import { dirname, isAbsolute, join } from 'node:path';
import { IssueSink, describeValue, type InputIssue } from './errors.js';
import {
  failWith,
  resolveScenario,
  type ResolveOptions,
  type ScenarioDocuments,
} from './resolve.js';
import { parseSetArgs } from './sets.js';
import { validateTopology } from './topology.js';
import type { ScenarioSpec, TopologySpec } from '../spec/types.js';
import { fileProblem, readYamlFile, type YamlFile } from './yaml.js';

export interface LoadScenarioOptions extends ResolveOptions {
  /** Replaces the scenario's `topology:` (`--topology`). */
  topologyPath?: string;
}

export type LoadedFile =
  { kind: 'scenario'; spec: ScenarioSpec } | { kind: 'topology'; spec: TopologySpec };

/** Keys that make a file a scenario, and those that make it a topology. */
const SCENARIO_MARKERS = ['topology', 'duration', 'faults', 'failures', 'traffic', 'expect'];
const TOPOLOGY_MARKERS = ['apps', 'sites', 'pairs', 'agents'];

function fail(issues: InputIssue[], overflow = 0): never {
  failWith(issues, overflow);
}

function topologyOf(doc: YamlFile, sink: IssueSink): TopologySpec {
  const spec = validateTopology(doc, sink);
  if (spec === undefined || sink.count > 0) fail(sink.issues, sink.overflow);
  return spec;
}

/** Loads and checks a topology file. Throws InputError listing every problem. */
export function loadTopology(path: string): TopologySpec {
  const sink = new IssueSink(path);
  const doc = readYamlFile(path, sink);
  if (doc === undefined) fail(sink.issues, sink.overflow);
  return topologyOf(doc, sink);
}

/** Reads the topology the scenario names (or `--topology`); problems go to the sink. */
function readTopologyOf(
  doc: YamlFile | undefined,
  sink: IssueSink,
  opts: Pick<LoadScenarioOptions, 'topologyPath'>,
): { topoDoc: YamlFile | undefined; topoSink: IssueSink | undefined } {
  const path = sink.file;
  // Which topology: --topology, else `topology:` relative to the scenario file.
  let topoPath: string | undefined;
  let topoIssueAt: { sink: IssueSink; path: string[] } | undefined;
  if (opts.topologyPath !== undefined) {
    topoPath = opts.topologyPath;
    topoIssueAt = { sink: sink.forFile('--topology'), path: [] };
  } else if (doc !== undefined) {
    const t = doc.raw['topology'];
    if (t === undefined) {
      sink.add(['topology'], 'missing required key "topology"', {
        expected: 'the topology file, relative to this file',
        hint: 'or pass --topology',
      });
    } else if (typeof t !== 'string' || t.trim() === '') {
      sink.add(['topology'], 'wrong type', { expected: 'a file path', found: describeValue(t) });
    } else {
      topoPath = isAbsolute(t) ? t : join(dirname(path), t);
      topoIssueAt = { sink, path: ['topology'] };
    }
  }
  let topoDoc: YamlFile | undefined;
  let topoSink: IssueSink | undefined;
  if (topoPath !== undefined && topoIssueAt !== undefined) {
    const problem = fileProblem(topoPath);
    if (problem !== undefined) {
      topoIssueAt.sink.add(topoIssueAt.path, problem.message, {
        ...(problem.expected !== undefined ? { expected: problem.expected } : {}),
        found: describeValue(topoPath),
      });
    } else {
      topoSink = sink.forFile(topoPath);
      topoDoc = readYamlFile(topoPath, topoSink);
    }
  }
  return { topoDoc, topoSink };
}

function scenarioOf(
  doc: YamlFile | undefined,
  sink: IssueSink,
  opts: LoadScenarioOptions,
): ScenarioSpec {
  const sets = parseSetArgs(opts.sets ?? [], sink);
  const { topoDoc, topoSink } = readTopologyOf(doc, sink, opts);
  return resolveScenario(doc, topoDoc, topoSink, sink, sets, opts);
}

/**
 * The parsed documents of a scenario and its topology, before any override (what the report
 * page's what-if starts from). Throws InputError when a file does not read.
 */
export function loadScenarioDocuments(
  path: string,
  opts: Pick<LoadScenarioOptions, 'topologyPath'> = {},
): ScenarioDocuments {
  const sink = new IssueSink(path);
  const doc = readYamlFile(path, sink);
  const { topoDoc } = readTopologyOf(doc, sink, opts);
  if (doc === undefined || topoDoc === undefined || sink.count > 0)
    fail(sink.issues, sink.overflow);
  return { scenario: doc, topology: topoDoc };
}

/**
 * Loads and checks a scenario and its topology, applying `--topology`, `--set`, `--seed` and
 * `--replications`. Throws InputError listing every problem in every file involved.
 */
export function loadScenario(path: string, opts: LoadScenarioOptions = {}): ScenarioSpec {
  const sink = new IssueSink(path);
  const doc = readYamlFile(path, sink);
  if (doc !== undefined && kindOf(doc.raw) === 'topology') {
    // One clear sentence instead of an "unknown key" per topology key.
    sink.add([], 'this is a topology, not a scenario', {
      expected: 'a scenario file (with duration:, topology:, faults:)',
      found: `a topology (keys ${Object.keys(doc.raw).join(', ')})`,
      hint: 'run a scenario that names this topology, or pass it as --topology to one (ccsim validate checks a topology on its own)',
    });
    fail(sink.issues);
  }
  return scenarioOf(doc, sink, opts);
}

/** Which kind of file a parsed document is, by its top-level keys (for `ccsim validate`). */
export function kindOf(raw: Record<string, unknown>): 'scenario' | 'topology' | undefined {
  const keys = Object.keys(raw);
  if (keys.some((k) => SCENARIO_MARKERS.includes(k))) return 'scenario';
  if (keys.some((k) => TOPOLOGY_MARKERS.includes(k))) return 'topology';
  return undefined;
}

/** Loads a scenario or a topology, whichever the file is (`ccsim validate`). */
export function loadAny(path: string, opts: LoadScenarioOptions = {}): LoadedFile {
  const sink = new IssueSink(path);
  const doc = readYamlFile(path, sink);
  if (doc === undefined) fail(sink.issues, sink.overflow);
  const kind = kindOf(doc.raw);
  if (kind === 'scenario') return { kind, spec: scenarioOf(doc, sink, opts) };
  if (kind === 'topology') return { kind, spec: topologyOf(doc, sink) };
  sink.add([], 'neither a scenario nor a topology', {
    expected: 'a scenario (with topology:, duration:, faults:) or a topology (with sites:, apps:)',
    found: `keys ${Object.keys(doc.raw).join(', ') || '(none)'}`,
  });
  fail(sink.issues, sink.overflow);
}
