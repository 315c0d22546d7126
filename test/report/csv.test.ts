// The CSV writer against csv-stringify (what ccsim wrote before, and the reference for quoting):
// the same text byte for byte for random cells, plus the neutralised formula cells. Budget: < 1 s.

import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csv, CsvBuilder, safeCell, type Cell } from '../../src/report/csv.js';

const reference = (header: readonly string[], rows: readonly (readonly Cell[])[]): string =>
  stringify([header.map(safeCell), ...rows.map((r) => r.map(safeCell))], {
    eof: true,
    record_delimiter: 'unix',
  });

const cell: fc.Arbitrary<Cell> = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      'a',
      ',',
      '"',
      '\n',
      '\r',
      '=',
      '+',
      '-',
      '@',
      '\t',
      ' ',
      '1',
      '.',
      'e',
      "'",
    ),
  }),
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.constantFrom('', '-1.5', '+3', '=SUM(A1)', '@x', '1e-7', 'a,b', 'say "hi"'),
);

describe('csv', () => {
  test('same text as csv-stringify for any cells, header and row count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 4 }),
        fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 20 }),
        (header, rows) => {
          expect(csv(header, rows)).toBe(reference(header, rows));
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  });

  test('past a part of rows, the text is still every row in order', () => {
    const rows: Cell[][] = Array.from({ length: 10_000 }, (_, i) => [
      i,
      `r${i}`,
      i % 7 === 0 ? '-x' : 0.5,
    ]);
    const b = new CsvBuilder(['n', 'name', 'v']);
    for (const r of rows) b.row(r);
    const text = b.text();
    expect(text).toBe(reference(['n', 'name', 'v'], rows));
    expect(text.split('\n')).toHaveLength(10_002);
  });

  test('formula cells are neutralised, numbers stay numbers', () => {
    expect(csv(['a'], [['=1+1'], [-2], ['-2'], ['-x'], ['a,"b"']])).toBe(
      'a\n\'=1+1\n-2\n-2\n\'-x\n"a,""b"""\n',
    );
  });
});
