// Reads the CSV files of a report directory back for the HTML report (see src/report/csv-read.ts).

import { CsvError, readCsvTable } from '../csv-read.js';

export { CsvError };

export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

/** Parses CSV text with a header row; every row becomes an object keyed by column name. */
export function parseCsv(text: string, file: string): CsvTable {
  const { header, rows } = readCsvTable(text, file);
  return { columns: header, rows };
}
