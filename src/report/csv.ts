// CSV text with a header row, comma-separated, rows in the order given. Text cells a spreadsheet
// would evaluate as a formula (starting with = + - @, tab or carriage return) are neutralised as
// OWASP recommends: prefixed with a single quote. Numbers, including negative ones, stay numbers.

import { stringify } from 'csv-stringify/sync';

export type Cell = string | number;

/** A plain decimal number as ccsim writes them (`-1.500`, `3`, `1e-7`): a spreadsheet reads a number. */
const NUMBER_RE = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
/** First characters that make a spreadsheet evaluate a cell (OWASP CSV injection). */
const FORMULA_START_RE = /^[=+\-@\t\r]/;

/** A cell as written: text that would be evaluated gets a leading `'`. */
export function safeCell(c: Cell): Cell {
  if (typeof c !== 'string' || !FORMULA_START_RE.test(c) || NUMBER_RE.test(c)) return c;
  return `'${c}`;
}

export function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify([header.map(safeCell), ...rows.map((r) => r.map(safeCell))], {
    eof: true,
    record_delimiter: 'unix',
  });
}
