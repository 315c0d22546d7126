// The guard of the single-file outputs (`compare --csv F`, `compare --html F`, `check --junit F`),
// as `--out` has for directories (src/report/write.ts checkOutDir): an existing file is replaced
// only if ccsim wrote it, as that kind of output — a typo never overwrites a user's own file.
// Checked before any work, so a refused path costs nothing (exit 2, no output written), and so
// is where the file goes (exit 3, as `--out`: a parent that is a file, no permission).

import { closeSync, existsSync, lstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMPARE_COLUMNS } from '../report/compare.js';
import { InputError } from '../scenario/errors.js';
import { preflightOutFile } from '../report/write.js';

export type OutFileKind = 'compare-csv' | 'compare-html' | 'junit';

/** Bytes read from an existing file to recognise it (its head is enough for every kind). */
const HEAD_BYTES = 4096;

const KINDS: Readonly<Record<OutFileKind, { what: string; ours: (head: string) => boolean }>> = {
  'compare-csv': {
    what: 'a comparison CSV written by ccsim compare --csv',
    ours: (head) => head.split(/\r?\n/, 1)[0] === COMPARE_COLUMNS.join(','),
  },
  'compare-html': {
    what: 'an HTML page written by ccsim compare --html',
    // The page's title (src/report/html.ts compareHtml), within the head of every ccsim page.
    ours: (head) => head.startsWith('<!DOCTYPE html>') && head.includes('<title>ccsim compare: '),
  },
  junit: {
    what: 'JUnit XML written by ccsim check --junit',
    ours: (head) => head.startsWith('<?xml') && head.includes('<testsuites name="ccsim check"'),
  },
};

function headOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Throws InputError (exit 2) when `file` exists and is not a previous ccsim output of `kind`:
 * a directory, a symbolic link, or a file ccsim did not write as that output; OutputError
 * (exit 3) when it cannot be written where it is (preflightOutFile).
 */
export function checkOutFile(file: string, flag: string, kind: OutFileKind): void {
  const final = resolve(file);
  // Where it goes can take it (exit 3, as --out: a parent that is a file, no permission).
  if (!existsSync(final) && !isDanglingLink(final)) return preflightOutFile(file);
  const k = KINDS[kind];
  const fail = (found: string): never => {
    throw new InputError([
      {
        file,
        path: flag,
        message: 'refusing to overwrite an existing file that ccsim did not write as this output',
        expected: `a new file, or ${k.what} earlier`,
        found,
        hint: 'choose another path, or remove the file first',
      },
    ]);
  };
  const st = lstatSync(final);
  if (st.isSymbolicLink()) fail('a symbolic link');
  if (st.isDirectory()) fail('a directory');
  if (!st.isFile()) fail('not a plain file');
  if (st.size === 0) return; // an empty file holds nothing to lose
  if (!k.ours(headOf(final))) fail('a file with other content');
  preflightOutFile(file);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
