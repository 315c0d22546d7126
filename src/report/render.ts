// A replication's share of the report files, rendered as soon as it ends (in the worker that ran
// it: only this text crosses the thread boundary, not the object graph the model returned), and
// the files put together from those shares in replication order: appended to a staged report
// directory by `run` and `merge`, which keep a summary row a replication and none of its records
// (ReportAssembler over StagedReportDir), or in memory (assembleFiles: the browser, the bench).

import { summarizeReplication, type SummaryRow } from './summary.js';
import { csv, CsvBuilder } from './csv.js';
import {
  AGENTS_COLUMNS,
  DATA_LOSS_COLUMNS,
  DSS_COLUMNS,
  FAULTS_COLUMNS,
  INTERVALS_COLUMNS,
  SWITCHOVERS_COLUMNS,
  TIMELINE_COLUMNS,
  agentRecords,
  dataLossRecords,
  dssRecords,
  faultRecords,
  idbColumnsOf,
  idbWindowRecords,
  idbWindowsHeader,
  intervalRecords,
  statsCsv,
  summaryCsv,
  switchoverRecords,
  timelineRecords,
  type ReplicationOutput,
} from './files.js';
import {
  AVAILABILITY_COLUMNS,
  availabilityRecords,
  availabilityStatsRows,
  criticalityCsv,
  serviceAvailability,
  telephonyOutages,
  type AttributedOutage,
  type ServiceAvailability,
} from './availability.js';
import type { ScenarioSpec } from '../spec/types.js';

/** The report files made of every replication's records, in the order a report lists them. */
const RECORD_FILES = [
  ['switchovers.csv', SWITCHOVERS_COLUMNS],
  ['faults.csv', FAULTS_COLUMNS],
  ['timeline.csv', TIMELINE_COLUMNS],
  ['intervals.csv', INTERVALS_COLUMNS],
  ['agents.csv', AGENTS_COLUMNS],
  ['data-loss.csv', DATA_LOSS_COLUMNS],
] as const;

export type RecordFile = (typeof RECORD_FILES)[number][0];

/** What the report files need of one replication (plain data: it crosses the worker boundary). */
export interface RenderedReplication {
  /** Its summary.csv row at full precision (statistics, run.json's counts and times read it). */
  row: SummaryRow;
  /** Each file's records of this replication (no header), every record ending in a newline. */
  records: Record<RecordFile, string>;
  /** idb-windows.csv records, with `idbColumns` IDB column triples each. */
  idbWindows: string;
  idbColumns: number;
  dss: string;
  /** With failures only (availability.csv, stats.csv's availability rows, criticality.csv). */
  availability?: { records: string; services: ServiceAvailability[]; outages: AttributedOutage[] };
}

function records(write: (b: CsvBuilder) => void): string {
  const b = new CsvBuilder();
  write(b);
  return b.text();
}

/** Renders one finished replication's share of every report file. */
export function renderReplication(spec: ScenarioSpec, out: ReplicationOutput): RenderedReplication {
  const { result } = out;
  const idbColumns = idbColumnsOf(result);
  const rendered: RenderedReplication = {
    row: summarizeReplication(spec, result),
    records: {
      'switchovers.csv': records((b) => switchoverRecords(result, b)),
      'faults.csv': records((b) => faultRecords(result, b)),
      'timeline.csv': records((b) => timelineRecords(out.timeline, b)),
      'intervals.csv': records((b) => intervalRecords(result, b)),
      'agents.csv': records((b) => agentRecords(result, b)),
      'data-loss.csv': records((b) => dataLossRecords(result, b)),
    },
    idbWindows: records((b) => idbWindowRecords(result, idbColumns, b)),
    idbColumns,
    dss: records((b) => dssRecords(result, b)),
  };
  if (spec.failures.length > 0) {
    rendered.availability = {
      records: records((b) => availabilityRecords(result, b)),
      services: serviceAvailability(result),
      outages: telephonyOutages(result),
    };
  }
  return rendered;
}

/** Where a report's files are written as its replications come: a staged directory, or memory. */
export interface ReportSink {
  /** Appends text to a file (created at the first append). */
  append(name: string, text: string): void;
  readAll(name: string): string;
  /** Replaces a file. */
  write(name: string, text: string): void;
}

/** Files in memory (the browser's runs, the bench's model: assembleFiles). */
class MemorySink implements ReportSink {
  private readonly texts = new Map<string, string[]>();

  append(name: string, text: string): void {
    const parts = this.texts.get(name);
    if (parts === undefined) this.texts.set(name, [text]);
    else parts.push(text);
  }

  readAll(name: string): string {
    return (this.texts.get(name) ?? []).join('');
  }

  write(name: string, text: string): void {
    this.texts.set(name, [text]);
  }
}

/** Nothing kept: a shard writes only summary.csv and its data (merge builds the rest). */
export class NullSink implements ReportSink {
  append(): void {}
  readAll(): string {
    return '';
  }
  write(): void {}
}

const IDB_WINDOWS = 'idb-windows.csv';
const DSS = 'dss.csv';
const AVAILABILITY = 'availability.csv';

/** Every record of `text` with `extra` empty IDB column triples more (ids hold no newline). */
function padIdbRecords(text: string, extra: number): string {
  return extra === 0 ? text : text.replaceAll('\n', `${',,,'.repeat(extra)}\n`);
}

/**
 * Puts a report's files together as its replications come, in replication order: each one's
 * records are appended to the sink and forgotten, so that a run holds its summary rows and a few
 * numbers a replication (with failures), whatever their number. finish() gives the files computed across
 * replications (summary.csv, stats.csv, criticality.csv).
 */
export class ReportAssembler {
  /** The replications' summary rows, in the order they came. */
  readonly rows: SummaryRow[] = [];
  private readonly services: ServiceAvailability[][] = [];
  private readonly outages: AttributedOutage[][] = [];
  /** The IDB column triples of idb-windows.csv so far (-1: no header yet). */
  private idbColumns = -1;

  constructor(
    private readonly spec: ScenarioSpec,
    private readonly sink: ReportSink,
  ) {}

  add(r: RenderedReplication): void {
    this.rows.push(r.row);
    for (const [name, header] of RECORD_FILES) this.appendRecords(name, header, r.records[name]);
    this.addIdbWindows(r);
    this.appendRecords(DSS, DSS_COLUMNS, r.dss);
    if (this.spec.failures.length > 0) {
      const a = r.availability!;
      this.appendRecords(AVAILABILITY, AVAILABILITY_COLUMNS, a.records);
      this.services.push(a.services);
      this.outages.push(a.outages);
    }
  }

  /** A replication's records of a file, after the file's header for the first replication. */
  private appendRecords(name: string, header: readonly string[], text: string): void {
    this.sink.append(name, this.rows.length === 1 ? csv(header, []) + text : text);
  }

  /** Every replication's windows get as many IDB columns as the widest (empty past its own). */
  private addIdbWindows(r: RenderedReplication): void {
    const { sink } = this;
    if (this.idbColumns < 0) {
      this.idbColumns = r.idbColumns;
      sink.append(IDB_WINDOWS, csv(idbWindowsHeader(r.idbColumns), []));
    } else if (r.idbColumns > this.idbColumns) {
      // Wider than every replication before it: the header and their records widen too.
      const text = sink.readAll(IDB_WINDOWS);
      const body = text.slice(text.indexOf('\n') + 1);
      sink.write(
        IDB_WINDOWS,
        csv(idbWindowsHeader(r.idbColumns), []) +
          padIdbRecords(body, r.idbColumns - this.idbColumns),
      );
      this.idbColumns = r.idbColumns;
    }
    sink.append(IDB_WINDOWS, padIdbRecords(r.idbWindows, this.idbColumns - r.idbColumns));
  }

  /** The files computed across the replications (one at least); the sink holds the others. */
  finish(): Map<string, string> {
    const { rows } = this;
    const files = new Map<string, string>([
      ['summary.csv', summaryCsv(rows)],
      ['stats.csv', statsCsv(rows)],
    ]);
    if (this.spec.failures.length > 0) {
      files.set('criticality.csv', criticalityCsv(this.outages));
      files.set(
        'stats.csv',
        files.get('stats.csv')! + csv([], availabilityStatsRows(this.services)).replace(/^\n/, ''),
      );
    }
    return files;
  }
}

/** The report files' names in the order a report lists them. */
function reportFileNames(spec: ScenarioSpec): string[] {
  const names = [
    'summary.csv',
    'stats.csv',
    ...RECORD_FILES.map(([name]) => name),
    IDB_WINDOWS,
    DSS,
  ];
  if (spec.failures.length > 0) names.push(AVAILABILITY, 'criticality.csv');
  return names;
}

/**
 * The report files of finished replications rendered (in replication order), in memory: the
 * same bytes a run writes through a staged directory, whether they were rendered in this
 * thread, in workers or in shards.
 */
export function assembleFiles(
  spec: ScenarioSpec,
  reps: readonly RenderedReplication[],
): { rows: SummaryRow[]; files: Map<string, string> } {
  const sink = new MemorySink();
  const asm = new ReportAssembler(spec, sink);
  for (const r of reps) asm.add(r);
  return { rows: asm.rows, files: collectFiles(spec, asm.finish(), sink) };
}

/** The files `finish()` gave and those in the sink, in the order a report lists them. */
export function collectFiles(
  spec: ScenarioSpec,
  computed: ReadonlyMap<string, string>,
  sink: Pick<ReportSink, 'readAll'>,
): Map<string, string> {
  return new Map(reportFileNames(spec).map((n) => [n, computed.get(n) ?? sink.readAll(n)]));
}

/** Whether `x` has the shape renderReplication gives (shard data read back is checked with it). */
export function isRenderedReplication(x: unknown): x is RenderedReplication {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<Record<keyof RenderedReplication, unknown>>;
  const isText = (v: unknown) => typeof v === 'string';
  const recs = r.records as Record<string, unknown> | undefined;
  const av = r.availability as Partial<Record<string, unknown>> | undefined;
  return (
    Number.isInteger(r.idbColumns) &&
    typeof r.row === 'object' &&
    r.row !== null &&
    Number.isInteger((r.row as Partial<SummaryRow>).replication) &&
    typeof recs === 'object' &&
    recs !== null &&
    RECORD_FILES.every(([name]) => isText(recs[name])) &&
    isText(r.idbWindows) &&
    isText(r.dss) &&
    (av === undefined ||
      (isText(av.records) && Array.isArray(av.services) && Array.isArray(av.outages)))
  );
}
