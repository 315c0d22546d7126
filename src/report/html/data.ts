// The content of a report directory, read back from its CSV files and run.json into typed
// rows for the HTML report. Missing optional files read as empty; data-loss.csv stays
// `undefined` when absent so the page can say "no ICON data" rather than "no loss".

import { mapCsvTable } from '../csv-read.js';
import { parseCsv, type CsvTable } from './csv-parse.js';

/** Replications with their own time charts (the distribution uses every replication). */
export const REPLICATIONS_SHOWN_MAX = 20;

/** Files without which a directory is not a report directory. */
export const REQUIRED_FILES = ['summary.csv', 'timeline.csv'] as const;

export interface RunMeta {
  version: string;
  command: string[];
  scenario: { name: string; file: string; digest: string };
  topology: { name: string; file: string; digest: string };
  seed: string;
  replications: number;
  sets: string[];
}

export interface TimelineEvent {
  rep: number;
  tS: number;
  component: string;
  state: string;
  cause: string;
}

export interface FaultRow {
  rep: number;
  id: string;
  kind: string;
  target: string;
  atS: number;
  clearedAtS: number | undefined;
}

export interface SwitchoverRow {
  rep: number;
  pair: string;
  redundancy: string;
  cause: string;
  faultId: string;
  faultAtS: number | undefined;
  detectedAtS: number;
  completedAtS: number | undefined;
  from: string;
  to: string;
  callsDropped: number;
  callsDegraded: number;
  outcome: string;
}

export interface IntervalRow {
  rep: number;
  startS: number;
  site: string;
  offered: number;
  answered: number;
  abandoned: number;
  dropped: number;
  serviceLevel: number | undefined;
  asaS: number | undefined;
  loggedIn: number;
  readyMean: number;
  /** The site's agents of every group, each once (undefined: a report written before the column). */
  siteLoggedIn: number | undefined;
  siteReadyMean: number | undefined;
}

export interface AgentRow {
  rep: number;
  agent: string;
  group: string;
  preferredSite: string;
  outageS: number;
  drSwitchovers: number;
  finalSite: string;
}

export interface DataLossRow {
  rep: number;
  source: string;
  icon: string;
  idb: string;
  expected: number;
  stored: number;
  missing: number;
  lostAll: number;
  stuckCalls: number;
  gapS: number;
}

/**
 * A report directory as the page draws it. Every row of every file is read (a bad value is
 * refused wherever it is), but the per-replication rows are kept only for the replications with
 * their own time charts (`shown`; a thousand replications of `day` are 600,000 agent rows):
 * the spread across replications comes from summary.csv. Two exceptions, for the components the
 * page infers without a topology (inventory.ts): every switchover is kept, and the timeline keeps
 * from the other replications the first row of each component, state and cause.
 */
export interface ReportData {
  meta: RunMeta;
  /** summary.csv as read: one row per replication, values as written. */
  summary: CsvTable;
  /** Replication numbers present in summary.csv, ascending. */
  replications: number[];
  /** The first REPLICATIONS_SHOWN_MAX of them: the replications whose rows are kept. */
  shown: number[];
  /** Simulated seconds of each replication. */
  durationS: Map<number, number>;
  timeline: TimelineEvent[];
  faults: FaultRow[];
  switchovers: SwitchoverRow[];
  intervals: IntervalRow[];
  agents: AgentRow[];
  dataLoss: DataLossRow[] | undefined;
}

/** A report directory that cannot be read: the message names the file and the problem. */
export class ReportDataError extends Error {
  override name = 'ReportDataError';
}

function num(row: Record<string, string>, col: string, file: string): number {
  const v = row[col];
  const x = v === undefined || v === '' ? NaN : Number(v);
  if (!Number.isFinite(x))
    throw new ReportDataError(
      `${file}: column ${col} expects a number, found ${JSON.stringify(v ?? null)}`,
    );
  return x;
}

function optNum(row: Record<string, string>, col: string): number | undefined {
  const v = row[col];
  if (v === undefined || v === '') return undefined;
  const x = Number(v);
  return Number.isFinite(x) ? x : undefined;
}

function str(row: Record<string, string>, col: string): string {
  return row[col] ?? '';
}

function table(
  files: ReadonlyMap<string, string>,
  name: string,
  columns: readonly string[],
): CsvTable | undefined {
  const text = files.get(name);
  if (text === undefined) return undefined;
  const t = parseCsv(text, name);
  checkColumns(name, t.columns, columns);
  return t;
}

function checkColumns(name: string, found: readonly string[], columns: readonly string[]): void {
  const missing = columns.filter((c) => !found.includes(c));
  if (missing.length > 0)
    throw new ReportDataError(`${name}: missing column(s) ${missing.join(', ')}`);
}

/**
 * A file's rows as `f` makes them, one at a time (none is held as fields), those `keep` accepts
 * (ReportData: the shown replications').
 */
function rows<T extends { rep: number }>(
  files: ReadonlyMap<string, string>,
  name: string,
  columns: readonly string[],
  f: (r: Record<string, string>) => T,
  keep: (row: T) => boolean,
): T[] | undefined {
  const text = files.get(name);
  if (text === undefined) return undefined;
  return mapCsvTable(text, name, f, (found) => checkColumns(name, found, columns), keep).rows;
}

function readMeta(files: ReadonlyMap<string, string>, summary: CsvTable): RunMeta {
  const first = summary.rows[0] ?? {};
  const fallback: RunMeta = {
    version: '',
    command: [],
    scenario: { name: str(first, 'scenario'), file: '', digest: '' },
    topology: { name: str(first, 'topology'), file: '', digest: '' },
    seed: str(first, 'seed'),
    replications: summary.rows.length,
    sets: [],
  };
  const text = files.get('run.json');
  if (text === undefined) return fallback;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ReportDataError(`run.json: not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null)
    throw new ReportDataError('run.json: expected an object');
  const o = raw as Record<string, unknown>;
  const s = (v: unknown, d: string): string =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : d;
  const named = (v: unknown, d: RunMeta['scenario']): RunMeta['scenario'] => {
    if (typeof v !== 'object' || v === null) return d;
    const x = v as Record<string, unknown>;
    return {
      name: s(x['name'], d.name),
      file: s(x['file'], d.file),
      digest: s(x['digest'], d.digest),
    };
  };
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => s(x, '')) : []);
  return {
    version: s(o['version'], fallback.version),
    command: strings(o['command']),
    scenario: named(o['scenario'], fallback.scenario),
    topology: named(o['topology'], fallback.topology),
    seed: s(o['seed'], fallback.seed),
    replications: typeof o['replications'] === 'number' ? o['replications'] : fallback.replications,
    sets: strings(o['sets']),
  };
}

/** Reads the files of a report directory (name → text). Throws ReportDataError when unusable. */
export function readReportData(files: ReadonlyMap<string, string>): ReportData {
  const missing = REQUIRED_FILES.filter((f) => !files.has(f));
  if (missing.length > 0) throw new ReportDataError(`missing ${missing.join(' and ')}`);
  const summary = table(files, 'summary.csv', ['replication', 'sim_s'])!;
  const replications = summary.rows
    .map((r) => num(r, 'replication', 'summary.csv'))
    .sort((a, b) => a - b);
  const durationS = new Map<number, number>();
  for (const r of summary.rows)
    durationS.set(num(r, 'replication', 'summary.csv'), num(r, 'sim_s', 'summary.csv'));
  const shown = replications.slice(0, REPLICATIONS_SHOWN_MAX);
  const shownSet = new Set(shown);
  const isShown = (r: { rep: number }): boolean => shownSet.has(r.rep);
  // The other replications' timeline: the first row of each component, state and cause.
  const named = new Set<string>();
  const timelineKept = (e: TimelineEvent): boolean => {
    if (shownSet.has(e.rep)) return true;
    const key = `${e.component}\u0000${e.state}\u0000${e.cause}`;
    if (named.has(key)) return false;
    named.add(key);
    return true;
  };

  const timeline =
    rows(
      files,
      'timeline.csv',
      ['replication', 't_s', 'component', 'state', 'cause'],
      (r) => ({
        rep: num(r, 'replication', 'timeline.csv'),
        tS: num(r, 't_s', 'timeline.csv'),
        component: str(r, 'component'),
        state: str(r, 'state'),
        cause: str(r, 'cause'),
      }),
      timelineKept,
    ) ?? [];
  const faults =
    rows(
      files,
      'faults.csv',
      ['replication', 'fault_id', 'kind', 'target', 'at_s', 'cleared_at_s'],
      (r) => ({
        rep: num(r, 'replication', 'faults.csv'),
        id: str(r, 'fault_id'),
        kind: str(r, 'kind'),
        target: str(r, 'target'),
        atS: num(r, 'at_s', 'faults.csv'),
        clearedAtS: optNum(r, 'cleared_at_s'),
      }),
      isShown,
    ) ?? [];
  const switchovers =
    rows(
      files,
      'switchovers.csv',
      ['replication', 'pair', 'fault_at_s', 'detected_at_s', 'completed_at_s', 'from', 'to'],
      (r) => ({
        rep: num(r, 'replication', 'switchovers.csv'),
        pair: str(r, 'pair'),
        redundancy: str(r, 'redundancy'),
        cause: str(r, 'cause'),
        faultId: str(r, 'fault_id'),
        faultAtS: optNum(r, 'fault_at_s'),
        detectedAtS: num(r, 'detected_at_s', 'switchovers.csv'),
        completedAtS: optNum(r, 'completed_at_s'),
        from: str(r, 'from'),
        to: str(r, 'to'),
        callsDropped: optNum(r, 'calls_dropped') ?? 0,
        callsDegraded: optNum(r, 'calls_degraded') ?? 0,
        outcome:
          str(r, 'outcome') || (optNum(r, 'completed_at_s') === undefined ? 'failed' : 'completed'),
      }),
      () => true, // every replication's: the inferred pairs and roles read them in order
    ) ?? [];
  const intervals =
    rows(
      files,
      'intervals.csv',
      [
        'replication',
        'interval_start_s',
        'site',
        'calls_offered',
        'calls_answered',
        'calls_abandoned',
        'calls_dropped',
        'agents_logged_in',
      ],
      (r) => ({
        rep: num(r, 'replication', 'intervals.csv'),
        startS: num(r, 'interval_start_s', 'intervals.csv'),
        site: str(r, 'site'),
        offered: num(r, 'calls_offered', 'intervals.csv'),
        answered: num(r, 'calls_answered', 'intervals.csv'),
        abandoned: num(r, 'calls_abandoned', 'intervals.csv'),
        dropped: num(r, 'calls_dropped', 'intervals.csv'),
        serviceLevel: optNum(r, 'service_level'),
        asaS: optNum(r, 'asa_s'),
        loggedIn: num(r, 'agents_logged_in', 'intervals.csv'),
        readyMean: optNum(r, 'agents_ready_mean') ?? 0,
        siteLoggedIn: optNum(r, 'site_agents_logged_in'),
        siteReadyMean: optNum(r, 'site_agents_ready_mean'),
      }),
      isShown,
    ) ?? [];
  const agents =
    rows(
      files,
      'agents.csv',
      ['replication', 'agent', 'group', 'preferred_site'],
      (r) => ({
        rep: num(r, 'replication', 'agents.csv'),
        agent: str(r, 'agent'),
        group: str(r, 'group'),
        preferredSite: str(r, 'preferred_site'),
        outageS: optNum(r, 'outage_s') ?? 0,
        drSwitchovers: optNum(r, 'dr_switchovers') ?? 0,
        finalSite: str(r, 'final_site'),
      }),
      isShown,
    ) ?? [];
  const dataLoss = rows(
    files,
    'data-loss.csv',
    [
      'replication',
      'source',
      'icon',
      'idb',
      'events_expected',
      'events_stored',
      'events_missing',
      'lost_all',
    ],
    (r) => ({
      rep: num(r, 'replication', 'data-loss.csv'),
      source: str(r, 'source'),
      icon: str(r, 'icon'),
      idb: str(r, 'idb'),
      expected: num(r, 'events_expected', 'data-loss.csv'),
      stored: num(r, 'events_stored', 'data-loss.csv'),
      missing: num(r, 'events_missing', 'data-loss.csv'),
      lostAll: num(r, 'lost_all', 'data-loss.csv'),
      stuckCalls: optNum(r, 'stuck_calls') ?? 0,
      gapS: optNum(r, 'gap_s') ?? 0,
    }),
    isShown,
  );
  return {
    meta: readMeta(files, summary),
    summary,
    replications,
    shown,
    durationS,
    timeline,
    faults,
    switchovers,
    intervals,
    agents,
    dataLoss,
  };
}
