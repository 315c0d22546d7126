// The CSV reader (src/report/csv-read.ts) against csv-parse, the library it replaced: the same
// records for any text whose first record ends with a line feed or CRLF (every file ccsim
// writes, and the same files saved on Windows), an error whenever csv-parse has one; and the
// writer's files read back cell for cell. Budget: < 2 s.

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csv, safeCell, type Cell } from '../../src/report/csv.js';
import { CsvError, mapCsvTable, readCsvRows, readCsvTable } from '../../src/report/csv-read.js';
import { ReportDataError, readReportData } from '../../src/report/html/data.js';

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
});
