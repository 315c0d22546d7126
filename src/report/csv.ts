// CSV text with a header row, comma-separated, rows in the order given. Text cells a spreadsheet
// would evaluate as a formula (starting with = + - @, tab or carriage return) are neutralised as
// OWASP recommends: prefixed with a single quote. Numbers, including negative ones, stay numbers.
// The text is what csv-stringify (sync, eof, unix record delimiter, default quoting) writes for
// the same cells — test/report/csv.test.ts checks it byte for byte — built a row at a time, so
// that a long run's files never hold every row's cells at once.

export type Cell = string | number;

/** A plain decimal number as ccsim writes them (`-1.500`, `3`, `1e-7`): a spreadsheet reads a number. */
const NUMBER_RE = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
/** First characters that make a spreadsheet evaluate a cell (OWASP CSV injection). */
const FORMULA_START_RE = /^[=+\-@\t\r]/;
/** Characters that make a cell quoted: the delimiter, the quote, the record delimiter (a lone
 * carriage return is not quoted: csv-stringify's quote_record_delimiter is off with 'unix'). */
const QUOTE_NEEDED_RE = /[,"\n]/;
/** Rows joined into one part of the text before it is set aside (bounds the parts array). */
const PART_ROWS = 4096;

/** A cell as written: text that would be evaluated gets a leading `'`. */
export function safeCell(c: Cell): Cell {
  if (typeof c !== 'string' || !FORMULA_START_RE.test(c) || NUMBER_RE.test(c)) return c;
  return `'${c}`;
}

/** One cell's text: numbers as JavaScript prints them, text neutralised and quoted if needed. */
function cellText(c: Cell | boolean | null | undefined): string {
  if (typeof c === 'number') return `${c}`;
  if (typeof c !== 'string') return c === true ? '1' : ''; // csv-stringify's casts
  if (c === '') return c;
  const s = FORMULA_START_RE.test(c) && !NUMBER_RE.test(c) ? `'${c}` : c;
  if (!QUOTE_NEEDED_RE.test(s)) return s;
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * CSV text built row by row: `row()` per record, `text()` once at the end. Without a header it
 * builds records only, to be put after a header later (a replication's part of a report file).
 */
export class CsvBuilder {
  private readonly parts: string[] = [];
  private lines: string[] = [];

  constructor(header?: readonly string[]) {
    if (header !== undefined) this.row(header);
  }

  row(cells: readonly Cell[]): void {
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += ',';
      line += cellText(cells[i]);
    }
    this.lines.push(line);
    if (this.lines.length >= PART_ROWS) this.setAside();
  }

  /** The whole text: each record followed by a newline. */
  text(): string {
    this.setAside();
    return this.parts.join('');
  }

  private setAside(): void {
    if (this.lines.length === 0) return;
    this.parts.push(`${this.lines.join('\n')}\n`);
    this.lines = [];
  }
}

export function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const b = new CsvBuilder(header);
  for (const r of rows) b.row(r);
  return b.text();
}
