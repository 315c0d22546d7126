// What ccsim does to the terminal: colour (NO_COLOR, FORCE_COLOR, --no-color), and a progress
// line on stderr that never mixes with lines printed meanwhile and leaves the cursor visible
// however the process ends (normal exit, error, Ctrl-C).

import chalk from 'chalk';
import { writeSync } from 'node:fs';

/** How colour was decided, for `--help` and the docs. */
export const COLOR_RULE =
  '--no-color, then FORCE_COLOR (0 or false: off; 1, 2, 3 or empty: on), then NO_COLOR (set and not empty: off), else colour when stdout is a terminal';

/**
 * The chalk level for this process: `--no-color` anywhere before `--` turns colour off; then
 * FORCE_COLOR (`0`/`false` off, `1`..`3` or empty on at that level, as Node reads it); then
 * NO_COLOR (https://no-color.org: present and not empty means off); else colour when stdout is
 * a terminal (and TERM is not `dumb`).
 */
export function colorLevel(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  stdoutIsTty: boolean,
): 0 | 1 | 2 | 3 {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (flags.includes('--no-color')) return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '' || force === 'true') return 1;
    const n = Number.parseInt(force, 10);
    return Number.isNaN(n) ? 1 : (Math.min(Math.max(n, 1), 3) as 1 | 2 | 3);
  }
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  if (!stdoutIsTty || env['TERM'] === 'dumb') return 0;
  return env['COLORTERM'] === 'truecolor' ? 3 : 2;
}

/** Sets chalk's level for the whole process (every module shares chalk's default instance). */
export function applyColor(argv: readonly string[]): void {
  chalk.level = colorLevel(argv, process.env, process.stdout.isTTY === true);
}

/** Whether escape sequences may be written to the terminal (colour on). */
export function escapesAllowed(): boolean {
  return chalk.level > 0;
}

const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const WRAP_ON = '\x1b[?7h';
const CLEAR_LINE = '\r\x1b[2K';

let cursorHidden = false;
let exitHookInstalled = false;

/** Shows the cursor and turns line wrap on again, synchronously (safe inside an 'exit' handler). */
export function restoreTerminal(): void {
  if (!cursorHidden) return;
  cursorHidden = false;
  try {
    writeSync(2, `${CLEAR_LINE}${SHOW_CURSOR}${WRAP_ON}`);
  } catch {
    // stderr already closed: nothing left to restore
  }
}

function hideCursor(): void {
  if (cursorHidden) return;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' also runs on process.exit() from a signal handler: the cursor comes back on Ctrl-C.
    process.on('exit', restoreTerminal);
  }
  cursorHidden = true;
  process.stderr.write(HIDE_CURSOR);
}

export interface Progress {
  increment(): void;
  /** Prints a line on stdout without the progress line overwriting it or being mixed into it. */
  log(line: string): void;
  stop(): void;
  /** Whether anything is drawn (callers yield to the event loop between items only then). */
  readonly active: boolean;
}

/** Bars with fewer items than this are not worth drawing. */
const PROGRESS_ITEMS_MIN = 2;
/** Least time between two redraws of the progress line, in milliseconds. */
const REDRAW_INTERVAL_MS = 100;
/** Width of the bar itself, in characters. */
const BAR_WIDTH = 30;

function silent(quiet: boolean | undefined): Progress {
  return {
    increment() {},
    log(line: string) {
      if (!quiet) process.stdout.write(`${line}\n`);
    },
    stop() {},
    active: false,
  };
}

function nowMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A progress line with ETA on stderr, drawn only when stderr is a terminal (never in CI logs or
 * when output is piped). With colour off it is plain text rewritten with a carriage return: no
 * escape sequence at all.
 */
export function progressBar(
  label: string,
  total: number,
  opts: { quiet?: boolean } = {},
): Progress {
  if (opts.quiet || !process.stderr.isTTY || total < PROGRESS_ITEMS_MIN) return silent(opts.quiet);
  const fancy = escapesAllowed();
  const started = nowMs();
  let done = 0;
  let drawnAt = -Infinity;
  let drawnWidth = 0;
  let stopped = false;
  const columns = (): number => Math.max(20, (process.stderr.columns ?? 80) - 1);
  const text = (): string => {
    const filled = Math.round((done / total) * BAR_WIDTH);
    const elapsedS = (nowMs() - started) / 1000;
    const left = done > 0 ? (elapsedS / done) * (total - done) : Infinity;
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${Math.floor((done / total) * 100)}% | ETA ${eta(left)}`;
    return line.slice(0, columns()); // never longer than the terminal: no wrap to undo
  };
  const erase = (): void => {
    if (drawnWidth === 0) return;
    process.stderr.write(fancy ? CLEAR_LINE : `\r${' '.repeat(drawnWidth)}\r`);
    drawnWidth = 0;
  };
  const draw = (): void => {
    if (stopped) return;
    if (fancy) hideCursor();
    const t = text();
    process.stderr.write(
      fancy ? `${CLEAR_LINE}${t}` : `\r${t}${' '.repeat(Math.max(0, drawnWidth - t.length))}`,
    );
    drawnWidth = Math.max(t.length, fancy ? t.length : drawnWidth);
    drawnAt = nowMs();
  };
  draw();
  return {
    active: true,
    increment() {
      done = Math.min(total, done + 1);
      if (nowMs() - drawnAt >= REDRAW_INTERVAL_MS || done === total) draw();
    },
    log(line: string) {
      erase();
      process.stdout.write(`${line}\n`);
      draw();
    },
    stop() {
      if (stopped) return;
      erase();
      stopped = true;
      restoreTerminal();
    },
  };
}
