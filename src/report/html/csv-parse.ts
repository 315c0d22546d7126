// Reads the CSV files of a report directory back (RFC 4180: quoted fields may hold commas,
// quotes and newlines), as written by src/report/csv.ts.

export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

/** Parses CSV text with a header row; every row becomes an object keyed by column name. */
export function parseCsv(text: string, file: string): CsvTable {
  const records = parseRecords(text, file);
  const header = records.shift();
  if (header === undefined) return { columns: [], rows: [] };
  const rows: Record<string, string>[] = [];
  records.forEach((rec, i) => {
    if (rec.length === 1 && rec[0] === '') return; // a blank line
    if (rec.length !== header.length) {
      throw new CsvError(`${file}: row ${i + 2} has ${rec.length} fields, the header ${header.length}`);
    }
    const row: Record<string, string> = {};
    header.forEach((c, k) => (row[c] = rec[k]!));
    rows.push(row);
  });
  return { columns: header, rows };
}

export class CsvError extends Error {
  override name = 'CsvError';
}

function parseRecords(text: string, file: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      rec.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      rec.push(field);
      out.push(rec);
      rec = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new CsvError(`${file}: a quoted field is not closed`);
  if (field !== '' || rec.length > 0) {
    rec.push(field);
    out.push(rec);
  }
  return out;
}
