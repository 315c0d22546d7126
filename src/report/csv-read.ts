// Reads the CSV files ccsim writes back (RFC 4180: quoted fields may hold commas, quotes and
// line breaks), with csv-parse, the reading half of the library that writes them.

import { parse } from 'csv-parse/sync';

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Parses CSV text into records of fields (the header is the first). */
export function readCsvRows(text: string, file = 'CSV'): string[][] {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new CsvError(`${file}: ${(e as Error).message}`);
  }
}

/** A CSV file as a header and rows keyed by column name. */
export function readCsvTable(
  text: string,
  file = 'CSV',
): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...records] = readCsvRows(text, file);
  records.forEach((rec, i) => {
    if (rec.length !== header.length) {
      throw new CsvError(
        `${file}: row ${i + 2} has ${rec.length} fields, the header ${header.length}`,
      );
    }
  });
  const rows = records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
  return { header, rows };
}
