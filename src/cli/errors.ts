// Turns errors into exit codes and messages: input errors exit 2 with every issue listed and no
// stack; model invariant failures exit 1 with the seed and a replay command; an output that
// cannot be written exits 3 naming the user's path. Echoed input is escaped (printable()).

import chalk from 'chalk';
import { CommanderError } from 'commander';
import { InputError, formatIssue, printable, type InputIssue } from '../scenario/errors.js';
import { ISSUES_PRINTED_MAX } from '../scenario/limits.js';
import { OutputError } from '../report/write.js';
import { SimAssertionError, SimLimitError } from '../sim/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;
/** The output (--out, --csv, --junit, --html) could not be written: permission, space, … */
export const EXIT_OUTPUT = 3;

/** An invariant of the simulator failed while running a replication. */
export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(
    message: string,
    readonly replay: string,
  ) {
    super(message);
  }
}

/** The first ISSUES_PRINTED_MAX issues, then how many more there are. */
export function printIssues(issues: readonly InputIssue[]): void {
  for (const i of issues.slice(0, ISSUES_PRINTED_MAX))
    process.stderr.write(`${chalk.red('error')} ${formatIssue(i)}\n`);
  if (issues.length > ISSUES_PRINTED_MAX) {
    process.stderr.write(
      `${chalk.red('error')} … and ${issues.length - ISSUES_PRINTED_MAX} more issue(s) not shown (fix these first)\n`,
    );
  }
}

export function handleError(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version')
      return EXIT_OK;
    if (e.code === 'ccsim.invalidArgument')
      process.stderr.write(`error: ${printable(e.message)}\n`);
    return EXIT_INPUT;
  }
  if (e instanceof InputError) {
    printIssues(e.issues);
    return EXIT_INPUT;
  }
  if (e instanceof OutputError) {
    process.stderr.write(`${chalk.red('error')} ${printable(e.path)}: ${printable(e.message)}\n`);
    return EXIT_OUTPUT;
  }
  if (e instanceof RunFailure) {
    process.stderr.write(
      `${chalk.red('invariant failed')}: ${printable(e.message)}\n  replay: ${printable(e.replay)}\n`,
    );
    return EXIT_FAILED;
  }
  if (e instanceof SimAssertionError || e instanceof SimLimitError) {
    process.stderr.write(`${chalk.red('invariant failed')}: ${printable(e.message)}\n`);
    return EXIT_FAILED;
  }
  if (e instanceof Error && 'code' in e && typeof (e as NodeJS.ErrnoException).code === 'string') {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(
      `${chalk.red('error')} ${printable(err.path ?? '')}: ${printable(err.message)}\n`,
    );
    return EXIT_OUTPUT;
  }
  throw e;
}
