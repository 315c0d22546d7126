// The CSV reader (src/report/csv-read.ts) against csv-parse, the library it replaced: the same
// records for any text whose first record ends with a line feed or CRLF (every file ccsim
// writes, and the same files saved on Windows), an error whenever csv-parse has one; and the
// writer's files read back cell for cell. Budget: < 2 s.

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csv, safeCell, type Cell } from '../../src/report/csv.js';
import { CsvError, mapCsvTable, readCsvRows, readCsvTable } from '../../src/report/csv-read.js';
import {
  REPLICATIONS_SHOWN_MAX,
  ReportDataError,
  readReportData,
} from '../../src/report/html/data.js';

type Outcome = { records: string[][] } | { error: true };

function reference(text: string): Outcome {
  try {
    return { records: parse(text, { relax_column_count: true, skip_empty_lines: true }) };
  } catch {
    return { error: true };
  }
}

function ours(text: string): Outcome {
  try {
    return { records: readCsvRows(text, 't.csv') };
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    return { error: true };
  }
}

const body = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r'),
  maxLength: 40,
});

describe('readCsvRows', () => {
  test('reads any text as csv-parse does, records ending at LF or at CRLF', () => {
    fc.assert(
      fc.property(fc.constantFrom('h,i\n', 'h,i\r\n', '"h","i"\n'), body, (head, rest) => {
        expect(ours(head + rest)).toEqual(reference(head + rest));
      }),
      { numRuns: 5000 },
    );
  });

  test('reads back what the writer wrote, cell for cell', () => {
    const cell: fc.Arbitrary<Cell> = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', '=', ' ', '1') }),
      fc.string(),
      fc.double({ noNaN: true }),
      fc.integer(),
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((k) => fc.array(fc.array(cell, { minLength: k, maxLength: k }), { maxLength: 6 })),
        (rows) => {
          const k = rows[0]?.length ?? 2;
          const header = Array.from({ length: k }, (_, i) => `c${i}`);
          const text = csv(header, rows);
          const written = (c: Cell): string => `${safeCell(c)}`;
          const got = readCsvTable(text, 't.csv');
          expect(got.header).toEqual(header);
          // A row of one empty cell is an empty line, which readers skip.
          const kept = rows.filter((r) => !(r.length === 1 && written(r[0]!) === ''));
          expect(got.rows.map((r) => header.map((h) => r[h]))).toEqual(
            kept.map((r) => r.map(written)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('a damaged file is a CsvError naming the file and the line', () => {
    expect(() => readCsvRows('a,b\n1,"2\n3,4\n', 'x.csv')).toThrow(
      /^x\.csv: line 2: a quoted field is not closed$/,
    );
    expect(() => readCsvRows('a,b\n1,2\n3,4"x\n', 'x.csv')).toThrow(
      /^x\.csv: line 3: field 2 has a quote but does not start with one$/,
    );
    expect(() => readCsvRows('a,b\n"1\n2"x,2\n', 'x.csv')).toThrow(
      /^x\.csv: line 3: field 1 has characters after its closing quote$/,
    );
    expect(() => readCsvTable('a,b\n1,2,3\n', 'x.csv')).toThrow(
      'x.csv: row 2 has 3 fields, the header 2',
    );
  });

  test('mapCsvTable: the header first, then each row as f makes it; the table is the same rows', () => {
    const text = 'a,b\n1,x\n\n2,"y,z"\n';
    const seen: string[] = [];
    const t = mapCsvTable(
      text,
      'x.csv',
      (r) => {
        seen.push(`row ${r.a}`);
        return Number(r.a) * 10 + r.b!.length;
      },
      (h) => seen.push(`header ${h.join('|')}`),
    );
    expect(seen).toEqual(['header a|b', 'row 1', 'row 2']);
    expect(t).toEqual({ header: ['a', 'b'], rows: [11, 23] });
    expect(readCsvTable(text, 'x.csv').rows).toEqual([
      { a: '1', b: 'x' },
      { a: '2', b: 'y,z' },
    ]);
    // A header refused stops the reading before any row is made.
    expect(() =>
      mapCsvTable(
        'a\n1\n',
        'x.csv',
        () => expect.unreachable(),
        () => {
          throw new CsvError('x.csv: no column b');
        },
      ),
    ).toThrow('x.csv: no column b');
    expect(() => mapCsvTable('a,b\n1,2\n3\n', 'x.csv', (r) => r)).toThrow(
      'x.csv: row 3 has 1 fields, the header 2',
    );
  });

  test('mapCsvTable with keep: every row is made, only those kept are returned; rows are counted in the file', () => {
    const made: number[] = [];
    const t = mapCsvTable(
      'a\n1\n2\n3\n4\n',
      'x.csv',
      (r) => {
        made.push(Number(r.a));
        return Number(r.a);
      },
      undefined,
      (x) => x % 2 === 0,
    );
    expect(made).toEqual([1, 2, 3, 4]);
    expect(t.rows).toEqual([2, 4]);
    expect(() =>
      mapCsvTable(
        'a,b\n1,2\n3,4\n5\n',
        'x.csv',
        (r) => r,
        undefined,
        () => false,
      ),
    ).toThrow('x.csv: row 4 has 1 fields, the header 2');
  });
});

describe('a report directory read back for the page', () => {
  test('a file without a column the page needs says so before reading any row', () => {
    const files = new Map([
      ['summary.csv', 'replication,sim_s\n0,60\n'],
      ['timeline.csv', 'replication,t_s,component,state,cause\n'],
      ['intervals.csv', 'replication,interval_start_s,site\n0,0,A\n'],
    ]);
    expect(() => readReportData(files)).toThrow(ReportDataError);
    expect(() => readReportData(files)).toThrow(
      'intervals.csv: missing column(s) calls_offered, calls_answered, calls_abandoned, calls_dropped, agents_logged_in',
    );
  });

  test('rows are kept for the replications the page draws; every row is still checked', () => {
    const n = REPLICATIONS_SHOWN_MAX + 5;
    const reps = Array.from({ length: n }, (_, i) => n - 1 - i); // any order in the file
    const lines = (f: (r: number) => string): string => reps.map(f).join('');
    const files = new Map([
      ['summary.csv', `replication,sim_s\n${lines((r) => `${r},60\n`)}`],
      [
        'timeline.csv',
        `replication,t_s,component,state,cause\n${lines((r) => `${r},0,a-sip-1,up,initial\n${r},5,a-sip-1,down,crash\n${r},6,a-sip-${r},up,initial\n`)}`,
      ],
      [
        'faults.csv',
        `replication,fault_id,kind,target,at_s,cleared_at_s\n${lines((r) => `${r},f1,process-crash,a-sip-1,5,\n`)}`,
      ],
      [
        'switchovers.csv',
        `replication,pair,fault_at_s,detected_at_s,completed_at_s,from,to\n${lines((r) => `${r},sip-a,5,6,7,a-sip-1,a-sip-2\n`)}`,
      ],
      [
        'agents.csv',
        `replication,agent,group,preferred_site\n${lines((r) => `${r},ag1,sales,A\n`)}`,
      ],
    ]);
    const d = readReportData(files);
    const shown = Array.from({ length: REPLICATIONS_SHOWN_MAX }, (_, i) => i);
    expect(d.shown).toEqual(shown);
    expect(d.replications).toHaveLength(n);
    expect([...new Set(d.agents.map((a) => a.rep))].sort((a, b) => a - b)).toEqual(shown);
    expect(d.faults).toHaveLength(REPLICATIONS_SHOWN_MAX);
    expect(d.switchovers).toHaveLength(n); // all: the inferred pairs read them
    // Other replications' timeline: the first row of each component, state and cause only.
    const late = d.timeline.filter((e) => e.rep >= REPLICATIONS_SHOWN_MAX);
    // (the file starts with the last replication: its rows of a-sip-1 are the first seen)
    expect(late.map((e) => `${e.rep} ${e.component} ${e.state}`)).toEqual([
      `${n - 1} a-sip-1 up`,
      `${n - 1} a-sip-1 down`,
      `${n - 1} a-sip-${n - 1} up`,
      `${n - 2} a-sip-${n - 2} up`,
      `${n - 3} a-sip-${n - 3} up`,
      `${n - 4} a-sip-${n - 4} up`,
      `${n - 5} a-sip-${n - 5} up`,
    ]);
    // A bad value in a replication not kept is still refused.
    const bad = new Map(files);
    bad.set(
      'agents.csv',
      files.get('agents.csv')!.replace(`${n - 1},ag1,sales,A`, `x,ag1,sales,A`),
    );
    expect(() => readReportData(bad)).toThrow('agents.csv: column replication expects a number');
  });
});
