// Reads the CSV files ccsim writes back (RFC 4180, as csv-stringify writes them: fields joined
// by commas, records by line breaks; a field holding a comma, a quote or a line break is quoted,
// its quotes doubled). Empty lines are skipped; records may differ in length (readCsvTable
// checks them against the header). One pass over the text, no dependency: a year's report
// directory holds tens of MB of CSV, and the HTML report and `compare` read it all.

export class CsvError extends Error {
  override name = 'CsvError';
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Line breaks in a quoted field (for the line numbers of later messages). */
function lineBreaks(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/**
 * Parses CSV text into records of fields (the header is the first). Records end at a line feed,
 * or at a carriage return and line feed when the first record ends so (a file saved on Windows):
 * as csv-parse reads them, a lone carriage return is part of its field.
 */
export function readCsvRows(text: string, file = 'CSV'): string[][] {
  const rows: string[][] = [];
  forEachCsvRecord(text, file, (row) => rows.push(row));
  return rows;
}

/**
 * Hands each record of CSV text to `visit` as it is parsed (the header first), with the line it
 * ends on: a reader that keeps what it needs of each record never holds all of them as fields.
 */
export function forEachCsvRecord(
  text: string,
  file: string,
  visit: (fields: string[], line: number) => void,
): void {
  const n = text.length;
  const firstLf = text.indexOf('\n');
  const crlf = firstLf > 0 && text.charCodeAt(firstLf - 1) === CR;
  const eol = crlf ? 2 : 1; // the record delimiter's length
  let i = 0;
  let line = 1;
  while (i < n) {
    if (text.charCodeAt(i + eol - 1) === LF && (!crlf || text.charCodeAt(i) === CR)) {
      i += eol; // an empty line: no record
      line++;
      continue;
    }
    const row: string[] = [];
    let c: number;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const from = line;
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new CsvError(`${file}: line ${from}: a quoted field is not closed`);
          value += text.slice(j, q);
          if (text.charCodeAt(q + 1) !== QUOTE) {
            i = q + 1;
            break;
          }
          value += '"';
          j = q + 2;
        }
        line += lineBreaks(value);
        row.push(value);
        c = i < n ? text.charCodeAt(i) : LF;
        if (crlf && c === CR && text.charCodeAt(i + 1) === LF) i++;
        else if (c !== COMMA && (crlf ? i < n : c !== LF))
          throw new CsvError(
            `${file}: line ${line}: field ${row.length} has characters after its closing quote`,
          );
      } else {
        let j = i;
        c = LF;
        for (; j < n; j++) {
          c = text.charCodeAt(j);
          // A record ends at a line feed (under CRLF, one after a carriage return in the field).
          if (c === COMMA || (c === LF && (!crlf || (j > i && text.charCodeAt(j - 1) === CR))))
            break;
          if (c === QUOTE)
            throw new CsvError(
              `${file}: line ${line}: field ${row.length + 1} has a quote but does not start with one`,
            );
        }
        if (j === n) c = LF;
        // Under CRLF the record's carriage return is not the field's.
        row.push(text.slice(i, crlf && c === LF && j < n ? j - 1 : j));
        i = j;
      }
      if (c !== COMMA) break;
      i++;
    }
    i++; // past the line feed (or the end)
    visit(row, line);
    line++;
  }
}

/** A CSV file as a header and rows keyed by column name. */
export function readCsvTable(
  text: string,
  file = 'CSV',
): { header: string[]; rows: Record<string, string>[] } {
  return mapCsvTable(text, file, (r) => ({ ...r }));
}

/**
 * A CSV file as a header and what `f` makes of each row keyed by column name, one row at a
 * time (a long run's intervals.csv is hundreds of thousands of rows: none is held as fields).
 * `f` is given one object for every row, its fields overwritten row after row: it must not keep
 * it. `onHeader` sees the header before any row (to refuse a file without the columns needed);
 * `keep`, when given, decides which of `f`'s rows are kept (every row is still made, so that a
 * bad value is refused wherever it is).
 */
export function mapCsvTable<T>(
  text: string,
  file: string,
  f: (row: Record<string, string>) => T,
  onHeader?: (header: readonly string[]) => void,
  keep?: (row: T) => boolean,
): { header: string[]; rows: T[] } {
  let header: string[] | undefined;
  const rows: T[] = [];
  let n = 0;
  const record: Record<string, string> = {};
  forEachCsvRecord(text, file, (rec) => {
    if (header === undefined) {
      header = rec;
      onHeader?.(rec);
      return;
    }
    n++;
    if (rec.length !== header.length) {
      throw new CsvError(
        `${file}: row ${n + 1} has ${rec.length} fields, the header ${header.length}`,
      );
    }
    for (let i = 0; i < rec.length; i++) record[header[i]!] = rec[i]!;
    const row = f(record);
    if (keep === undefined || keep(row)) rows.push(row);
  });
  return { header: header ?? [], rows };
}
