// What report.html's what-if needs from disk: the simulator bundle (dist/web/whatif.js, built by
// `npm run build`) and the scenario and topology documents the run read, checked unchanged
// against their digests. When something is missing the page says why and has no what-if.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { InputError } from '../scenario/errors.js';
import { loadScenarioDocuments } from '../scenario/load.js';
import { scenarioFromDocuments, type ScenarioDocuments } from '../scenario/resolve.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { HtmlOptions } from './html/report.js';
import { shellWord } from './html/whatif.js';

/** The bundle, relative to the package root. */
export const WHATIF_BUNDLE = 'dist/web/whatif.js';

let packed: string | undefined;

/** The package root: the nearest folder above this module with ccsim's package.json. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: unknown }).name === 'ccsim')
          return dir;
      } catch {
        // not ours: keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The bundle gzip-compressed (level 9, deterministic) and base64-encoded; undefined when not built. */
export function packedBundle(): string | undefined {
  if (packed !== undefined) return packed;
  const root = packageRoot();
  const file = root === undefined ? undefined : join(root, WHATIF_BUNDLE);
  if (file === undefined || !existsSync(file)) return undefined;
  packed = packText(readFileSync(file));
  return packed;
}

/**
 * Text (or bytes) gzip-compressed (level 9, deterministic) and base64-encoded, as report.html
 * unpacks it (HtmlOptions.pack).
 */
export function packText(text: string | Buffer): string {
  return gzipSync(text, { level: 9 }).toString('base64');
}

/** Whether the documents survive the trip through JSON in the page unchanged. */
function jsonSafe(docs: ScenarioDocuments): boolean {
  return [docs.scenario.raw, docs.topology.raw].every((raw) =>
    isDeepStrictEqual(JSON.parse(JSON.stringify(raw)), raw),
  );
}

export interface RunFacts {
  /** The scenario file as given. */
  file: string;
  digest: string;
  topologyDigest: string;
  /** `--topology`, when given. */
  topologyPath?: string;
  sets: readonly string[];
  seed: number;
  replications?: number;
}

/**
 * The scenario and topology documents a run read, read again: the documents when they are the
 * ones it ran (their digests), else why not — they do not read any more, or they changed since.
 * The what-if of a page, and `ccsim check` of a report directory, ask it.
 */
export function runDocuments(
  run: Pick<RunFacts, 'file' | 'digest' | 'topologyDigest' | 'topologyPath'>,
): { docs: ScenarioDocuments } | { drift: 'unreadable' | 'changed' } {
  let docs: ScenarioDocuments;
  try {
    docs = loadScenarioDocuments(
      run.file,
      run.topologyPath === undefined ? {} : { topologyPath: run.topologyPath },
    );
  } catch (e) {
    if (e instanceof InputError) return { drift: 'unreadable' };
    throw e;
  }
  return docs.scenario.digest === run.digest && docs.topology.digest === run.topologyDigest
    ? { docs }
    : { drift: 'changed' };
}

/** The what-if of a run, or the reason the page has none. */
export function whatIfOf(run: RunFacts): Pick<HtmlOptions, 'whatIf' | 'whatIfNote'> {
  const bundle = packedBundle();
  if (bundle === undefined)
    return { whatIfNote: `the simulator bundle ${WHATIF_BUNDLE} is not built (npm run build)` };
  const read = runDocuments(run);
  if ('drift' in read)
    return {
      whatIfNote:
        read.drift === 'unreadable'
          ? `the scenario ${run.file} or its topology does not read any more`
          : `the scenario ${run.file} or its topology changed since the run`,
    };
  const { docs } = read;
  if (!jsonSafe(docs))
    return { whatIfNote: 'the scenario or topology holds values JSON cannot carry (such as .inf)' };
  let spec: ScenarioSpec;
  let plain: ScenarioSpec;
  try {
    // The scenario as its files and --set give it; then with the run's seed and replications.
    plain = scenarioFromDocuments(docs, { sets: run.sets });
    spec = scenarioFromDocuments(docs, {
      sets: run.sets,
      seed: run.seed,
      ...(run.replications !== undefined ? { replications: run.replications } : {}),
    });
  } catch (e) {
    if (e instanceof InputError)
      return {
        whatIfNote: `the scenario does not validate any more (${e.issues.length} problem(s))`,
      };
    throw e;
  }
  const base = {
    sets: [...run.sets],
    seed: spec.seed,
    ...(spec.replications !== plain.replications ? { replications: spec.replications } : {}),
  };
  // The command whose numbers a re-run reproduces: the run's own, without its --set.
  const words = ['ccsim', 'run', run.file];
  if (run.topologyPath !== undefined) words.push('--topology', run.topologyPath);
  if (plain.seed !== spec.seed) words.push('--seed', String(spec.seed));
  if (base.replications !== undefined) words.push('--replications', String(base.replications));
  return { whatIf: { docs, base, spec, command: words.map(shellWord).join(' '), bundle } };
}

/** The what-if of a run that just finished (`ccsim run --html`). */
export function whatIfOfSpec(
  spec: ScenarioSpec,
  topologyPath: string | undefined,
): Pick<HtmlOptions, 'whatIf' | 'whatIfNote'> {
  return whatIfOf({
    file: spec.file,
    digest: spec.digest,
    topologyDigest: spec.topology.digest,
    ...(topologyPath !== undefined ? { topologyPath } : {}),
    sets: spec.sets,
    seed: spec.seed,
    replications: spec.replications,
  });
}

/**
 * The scenario a report directory's run.json names: its file (as given to the run), the
 * scenario's and topology's digests and `--topology`; undefined when it does not say.
 */
export function runScenarioOf(
  o: Record<string, unknown>,
): Pick<RunFacts, 'file' | 'digest' | 'topologyDigest' | 'topologyPath'> | undefined {
  const named = (v: unknown): { file?: unknown; digest?: unknown } =>
    typeof v === 'object' && v !== null ? (v as { file?: unknown; digest?: unknown }) : {};
  const sc = named(o['scenario']);
  const tp = named(o['topology']);
  const flag = o['topology_flag'];
  if (typeof sc.file !== 'string' || typeof sc.digest !== 'string' || typeof tp.digest !== 'string')
    return undefined;
  return {
    file: sc.file,
    digest: sc.digest,
    topologyDigest: tp.digest,
    ...(typeof flag === 'string' ? { topologyPath: flag } : {}),
  };
}

/** The what-if of a report directory (`ccsim report`), from its run.json. */
export function whatIfOfReportDir(
  files: ReadonlyMap<string, string>,
): Pick<HtmlOptions, 'whatIf' | 'whatIfNote'> {
  const text = files.get('run.json');
  if (text === undefined) return { whatIfNote: 'the directory has no run.json' };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { whatIfNote: 'run.json is not JSON' };
  }
  const named = runScenarioOf(o);
  const seed = Number(o['seed']);
  const sets = Array.isArray(o['sets'])
    ? o['sets'].filter((s): s is string => typeof s === 'string')
    : [];
  const replications = o['replications'];
  if (named === undefined || !Number.isSafeInteger(seed)) {
    return { whatIfNote: 'run.json does not name the scenario, its digests and seed' };
  }
  return whatIfOf({
    ...named,
    sets,
    seed,
    ...(typeof replications === 'number' && Number.isSafeInteger(replications)
      ? { replications }
      : {}),
  });
}
