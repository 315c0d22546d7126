// CSV text with a header row, comma-separated, rows in the order given.

import { stringify } from 'csv-stringify/sync';

export type Cell = string | number;

export function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify([header as string[], ...(rows as Cell[][])], { eof: true, record_delimiter: 'unix' });
}
