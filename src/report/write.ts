// Writes a report directory atomically: every file goes to a temporary sibling directory,
// which is renamed into place only when complete. An interrupted run leaves no directory that
// looks whole (at most a `.tmp-` sibling, removed on the next run).

import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';

/**
 * An existing output directory is replaced only if it is empty or an earlier ccsim output (it
 * has a run.json): `--out .` or `--out ~` must never delete a user's files.
 */
export function checkOutDir(outDir: string): void {
  const final = resolve(outDir);
  if (!existsSync(final)) return;
  const fail = (found: string) => {
    throw new InputError([
      {
        file: outDir,
        path: '--out',
        message: 'refusing to replace an existing directory that is not a ccsim report directory',
        expected: 'a new or empty directory, or the report directory of an earlier ccsim run (with run.json)',
        found,
      },
    ]);
  };
  if (!statSync(final).isDirectory()) fail('a file');
  const entries = readdirSync(final);
  if (entries.length > 0 && !entries.includes('run.json')) fail(`${entries.length} entries and no run.json`);
}

/** Temporary directories being written right now (removed if the process is interrupted). */
const inProgress = new Set<string>();

/** Removes what an interrupted write left; called from the CLI's SIGINT/SIGTERM handler. */
export function abandonWrites(): void {
  for (const tmp of inProgress) rmSync(tmp, { recursive: true, force: true });
  inProgress.clear();
}

export function writeReportDir(outDir: string, files: ReadonlyMap<string, string | Uint8Array>): string {
  checkOutDir(outDir);
  const final = resolve(outDir);
  const parent = dirname(final);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(final)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  inProgress.add(tmp);
  try {
    for (const [name, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
        throw new Error(`report file name ${JSON.stringify(name)} is not a plain file name`);
      }
      writeFileSync(join(tmp, name), content);
    }
    if (existsSync(final)) rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    inProgress.delete(tmp);
  }
  return final;
}

/** Removes temporary directories left by interrupted runs next to outDir. */
export function removeStaleTemps(outDir: string): void {
  const final = resolve(outDir);
  const parent = dirname(final);
  if (!existsSync(parent)) return;
  const prefix = `.${basename(final)}.tmp-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Writes one file through a temporary sibling renamed into place (--csv, --junit). */
export function writeFileAtomic(path: string, content: string): void {
  const final = resolve(path);
  mkdirSync(dirname(final), { recursive: true });
  const tmp = join(dirname(final), `.${basename(final)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
