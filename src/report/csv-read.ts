// Reads the CSV files ccsim writes (RFC 4180: quoted fields may hold commas, quotes and line
// breaks). Keeps each record's raw text so a merge can copy records byte for byte.

export interface CsvRecord {
  /** The record as written, without its line break. */
  raw: string;
  fields: string[];
}

/** Splits CSV text into records (the header is the first). A final line break is optional. */
export function readCsvRecords(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let start = 0;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = (end: number): void => {
    fields.push(field);
    out.push({ raw: text.slice(start, end), fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      endRecord(i);
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      start = i;
      continue;
    } else field += ch;
    i++;
  }
  if (start < text.length) endRecord(text.length);
  return out;
}

/** A CSV file as a header and rows keyed by column name. */
export function readCsvTable(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [head, ...records] = readCsvRecords(text);
  const header = head?.fields ?? [];
  const rows = records.map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])));
  return { header, rows };
}
