// Writes report directories and single files safely: every file goes to a temporary sibling owned
// by this process, renamed into place only when complete; an existing directory is replaced only
// when ccsim wrote it (its own run.json and nothing else), under a lock so that concurrent
// writers to one --out take turns. Failures name the user's path and exit with their own code.

import {
  accessSync,
  appendFileSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  statfsSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';

/** The output (--out, --csv, --junit, --html) could not be written: disk full, no permission, … */
export class OutputError extends Error {
  override name = 'OutputError';
  constructor(
    /** The path as the user gave it. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Least free space on the output's file system before a run starts, bytes. */
export const OUT_FREE_BYTES_MIN = 16 * 1024 * 1024;
/** How long a writer waits for another process writing the same --out, ms. */
export const OUT_LOCK_WAIT_MS = 60_000;
/** How often a waiting writer looks at the lock again, ms. */
const OUT_LOCK_POLL_MS = 25;

/** Files ccsim writes into a report directory (run, sweep, merge, shards, report, explore). */
const KNOWN_FILES: ReadonlySet<string> = new Set([
  'run.json',
  'summary.csv',
  'stats.csv',
  'switchovers.csv',
  'faults.csv',
  'timeline.csv',
  'intervals.csv',
  'agents.csv',
  'data-loss.csv',
  'idb-windows.csv',
  'dss.csv',
  'availability.csv',
  'criticality.csv',
  'report.html',
  'sweep.csv',
  'sweep-stats.csv',
  'shard.json',
  'shard-data.bin',
  'shard-data.v8.gz', // an earlier ccsim's (format ccsim-shard/2)
  'coverage.csv',
]);
const KNOWN_PATTERNS: readonly RegExp[] = [/^repro-\d+\.yaml$/];

/** Why `dir` (an existing directory) is not a report directory ccsim wrote, or undefined if it is. */
function notOurs(dir: string, entries: readonly string[]): string | undefined {
  if (entries.length === 0) return undefined;
  if (!entries.includes('run.json')) return `${entries.length} entries and no run.json`;
  let run: unknown;
  try {
    run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  } catch {
    return 'a run.json that is not ccsim JSON';
  }
  const r = run as Record<string, unknown>;
  const command = r?.command;
  if (
    typeof run !== 'object' ||
    run === null ||
    Array.isArray(run) ||
    typeof r.version !== 'string' ||
    !Array.isArray(command) ||
    command[0] !== 'ccsim'
  ) {
    return 'a run.json that ccsim did not write (no version and ccsim command line)';
  }
  // The files the writer recorded, plus what later commands add (report.html).
  const listed = new Set(
    Array.isArray(r.files) ? r.files.filter((f): f is string => typeof f === 'string') : [],
  );
  const foreign = entries
    .filter((e) => !listed.has(e) && !KNOWN_FILES.has(e) && !KNOWN_PATTERNS.some((p) => p.test(e)))
    .sort();
  if (foreign.length > 0)
    return `${foreign.length} entr${foreign.length === 1 ? 'y' : 'ies'} ccsim does not write: ${foreign
      .slice(0, 5)
      .map((f) => JSON.stringify(f))
      .join(', ')}${foreign.length > 5 ? ', …' : ''}`;
  const notFile = entries.find((e) => !lstatSync(join(dir, e)).isFile());
  if (notFile !== undefined) return `${JSON.stringify(notFile)}, which is not a plain file`;
  return undefined;
}

/**
 * An existing output directory is replaced only if it is empty or a report directory ccsim wrote
 * (its own run.json, and only files ccsim writes): `--out .` or `--out ~` must never delete a
 * user's files. Throws InputError (exit 2) before anything runs.
 */
export function checkOutDir(outDir: string): void {
  const final = resolve(outDir);
  if (!existsSync(final)) return;
  const fail = (found: string): never => {
    throw new InputError([
      {
        file: outDir,
        path: '--out',
        message: 'refusing to replace an existing directory that is not a ccsim report directory',
        expected:
          'a new or empty directory, or the report directory of an earlier ccsim run (its run.json and the files ccsim writes, nothing else)',
        found,
      },
    ]);
  };
  const st = lstatSync(final);
  if (st.isSymbolicLink()) fail('a symbolic link');
  if (!st.isDirectory()) fail('a file');
  const why = notOurs(final, readdirSync(final));
  if (why !== undefined) fail(why);
}

/**
 * Everything that can be known before a run about writing `outDir`: the guard above, the nearest
 * existing parent is a writable directory, and its file system has room. Throws before any work.
 */
export function preflightOut(outDir: string): void {
  checkOutDir(outDir);
  const at = writableParent(outDir);
  try {
    const fs = statfsSync(at);
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (free < OUT_FREE_BYTES_MIN) {
      throw new OutputError(
        outDir,
        `only ${Math.floor(free / 1024)} KiB free on the file system of ${at} (at least ${OUT_FREE_BYTES_MIN / 1024 / 1024} MiB needed)`,
      );
    }
  } catch (e) {
    if (e instanceof OutputError) throw e;
    // statfs unsupported here: the write itself will tell.
  }
}

/**
 * The nearest existing parent of `path` (as the user gave it) is a directory this process can
 * write into, where the output and any missing parents will be created; returns it. Throws
 * OutputError (exit 3) naming the user's path otherwise.
 */
function writableParent(path: string): string {
  let at = dirname(resolve(path));
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    if (!statSync(at).isDirectory())
      throw new OutputError(path, `cannot create it: ${at} is not a directory`);
    accessSync(at, fsConstants.W_OK | fsConstants.X_OK);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(path, `cannot write into ${at}: ${errnoText(e)}`);
  }
  return at;
}

/**
 * What can be known before any work about writing the single file `file` (--csv, --html,
 * --junit), as preflightOut for a directory: its nearest existing parent is a writable directory.
 */
export function preflightOutFile(file: string): void {
  writableParent(file);
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code ?? '') {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    case 'ENAMETOOLONG':
      return 'name too long';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

function asOutputError(path: string, e: unknown): Error {
  if (e instanceof OutputError || e instanceof InputError) return e;
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string')
    return new OutputError(path, `cannot write: ${errnoText(e)}`);
  return e instanceof Error ? e : new Error(String(e));
}

/** Temporary directories and the lock this process holds right now (removed if interrupted). */
const inProgress = new Set<string>();
const locksHeld = new Set<string>();
let tempSeq = 0;

/** Removes what an interrupted write left; called from the CLI's SIGINT/SIGTERM handler. */
export function abandonWrites(): void {
  for (const tmp of inProgress) rmSync(tmp, { recursive: true, force: true });
  inProgress.clear();
  for (const lock of locksHeld) rmSync(lock, { force: true });
  locksHeld.clear();
}

/** A temporary name beside `final`, owned by this process (pid) and unique within it. */
function tempPath(final: string, what: 'tmp' | 'old'): string {
  return join(dirname(final), `.${basename(final)}.${what}-${process.pid}-${++tempSeq}`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes `.NAME.lock` beside `final`; waits while a live process holds it, takes over a dead one's. */
function lock(final: string, userPath: string): string {
  const path = join(dirname(final), `.${basename(final)}.lock`);
  const deadline = OUT_LOCK_WAIT_MS;
  let waited = 0;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      locksHeld.add(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(path, 'utf8').trim());
    } catch {
      // removed meanwhile, or being written: look again
    }
    if (Number.isSafeInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(path, { force: true });
      continue;
    }
    if (waited >= deadline) {
      throw new OutputError(
        userPath,
        `another ccsim process${Number.isSafeInteger(holder) ? ` (pid ${holder})` : ''} has been writing it for ${deadline / 1000} s; try again when it has finished`,
      );
    }
    sleepMs(OUT_LOCK_POLL_MS);
    waited += OUT_LOCK_POLL_MS;
  }
}

function unlock(path: string): void {
  locksHeld.delete(path);
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Names the files of the directory in its run.json (the marker checkOutDir verifies): those
 * given and those already written (`written`).
 */
function withFileList(
  files: ReadonlyMap<string, string | Uint8Array>,
  written: readonly string[] = [],
): Map<string, string | Uint8Array> {
  const out = new Map(files);
  const run = files.get('run.json');
  if (typeof run !== 'string') return out;
  try {
    const obj = JSON.parse(run) as Record<string, unknown>;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return out;
    obj.files = [...new Set([...written, ...files.keys()])].sort();
    out.set('run.json', `${JSON.stringify(obj, null, 2)}\n`);
  } catch {
    // not ours to fix: written as given
  }
  return out;
}

/**
 * A report directory being written: files go into a temporary directory of this process (`dir`)
 * as they are ready — a run appends each replication's records as it ends — and commit() renames
 * it into place. An interrupted or failed run leaves nothing: abandon(), or abandonWrites() from
 * the signal handler, removes it.
 */
export class StagedReportDir {
  /** The temporary directory the files are written to. */
  readonly dir: string;
  private readonly final: string;

  constructor(private readonly outDir: string) {
    checkOutDir(outDir);
    this.final = resolve(outDir);
    this.dir = tempPath(this.final, 'tmp');
    try {
      mkdirSync(dirname(this.final), { recursive: true });
      removeStaleTemps(outDir);
      inProgress.add(this.dir);
      mkdirSync(this.dir);
    } catch (e) {
      this.abandon();
      throw asOutputError(outDir, e);
    }
  }

  /** Appends text (or bytes: a shard's data) to one of its files (created at the first append). */
  append(name: string, text: string | Uint8Array): void {
    const path = join(this.dir, plainName(name));
    this.writing(() => appendFileSync(path, text));
  }

  /** One of its files, whole. */
  readAll(name: string): string {
    return readFileSync(join(this.dir, plainName(name)), 'utf8');
  }

  /** Replaces one of its files. */
  write(name: string, text: string): void {
    const path = join(this.dir, plainName(name));
    this.writing(() => writeFileSync(path, text));
  }

  /** Runs a write into the directory: a failure (disk full, …) removes it and names --out. */
  private writing(write: () => void): void {
    try {
      write();
    } catch (e) {
      this.abandon();
      throw asOutputError(this.outDir, e);
    }
  }

  /**
   * Writes `given` beside the files appended, then, under the directory's lock, moves the old
   * directory (checked again: only ccsim's) aside and renames this one into place. Concurrent
   * writers to one directory take turns; the last one wins whole.
   */
  commit(given: ReadonlyMap<string, string | Uint8Array>): string {
    const { outDir, final, dir: tmp } = this;
    try {
      for (const name of given.keys()) plainName(name);
    } catch (e) {
      this.abandon();
      throw e; // a name ccsim made up wrong: not the output's fault
    }
    try {
      const files = withFileList(given, readdirSync(tmp));
      for (const [name, content] of [...files.entries()].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      )) {
        writeFileSync(join(tmp, name), content);
      }
      const held = lock(final, outDir);
      let old: string | undefined;
      try {
        checkOutDir(outDir); // another process may have put something else there meanwhile
        if (existsSync(final)) {
          old = tempPath(final, 'old');
          inProgress.add(old);
          renameSync(final, old);
        }
        try {
          renameSync(tmp, final);
        } catch (e) {
          if (old !== undefined) renameSync(old, final);
          old = undefined;
          throw e;
        }
        inProgress.delete(tmp);
      } finally {
        unlock(held);
      }
      if (old !== undefined) {
        rmSync(old, { recursive: true, force: true });
        inProgress.delete(old);
      }
    } catch (e) {
      this.abandon();
      throw asOutputError(outDir, e);
    }
    return final;
  }

  /** Removes the temporary directory (nothing half-written is left). */
  abandon(): void {
    if (!inProgress.has(this.dir)) return;
    rmSync(this.dir, { recursive: true, force: true });
    inProgress.delete(this.dir);
  }
}

/** `name` when it is a plain file name (no path, not hidden); throws otherwise. */
function plainName(name: string): string {
  if (name.includes('/') || name.includes('\\') || name.startsWith('.') || name === '') {
    throw new Error(`report file name ${JSON.stringify(name)} is not a plain file name`);
  }
  return name;
}

/** Writes a report directory whole (StagedReportDir with every file given at once). */
export function writeReportDir(
  outDir: string,
  given: ReadonlyMap<string, string | Uint8Array>,
): string {
  return new StagedReportDir(outDir).commit(given);
}

/**
 * Removes temporary directories that interrupted runs left next to outDir: only those whose
 * owner process is gone (another run writing the same --out keeps its own).
 */
export function removeStaleTemps(outDir: string): void {
  const final = resolve(outDir);
  const parent = dirname(final);
  if (!existsSync(parent)) return;
  const prefix = `.${basename(final)}.`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:tmp|old)-(\d+)(?:-\d+)?$/.exec(name.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Writes one file through a temporary sibling renamed into place (--csv, --junit, --html). */
export function writeFileAtomic(path: string, content: string): void {
  const final = resolve(path);
  const tmp = tempPath(final, 'tmp');
  try {
    writableParent(path); // as preflightOutFile: a parent that is a file is named as such
    mkdirSync(dirname(final), { recursive: true });
    if (existsSync(final) && statSync(final).isDirectory())
      throw new OutputError(path, 'is a directory');
    inProgress.add(tmp);
    writeFileSync(tmp, content);
    renameSync(tmp, final);
    inProgress.delete(tmp);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temporary file could not be made either (a parent is not a directory): the cause
      // below names the user's path, not ours.
    }
    inProgress.delete(tmp);
    throw asOutputError(path, e);
  }
}
