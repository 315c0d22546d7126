// Turns errors into exit codes and messages: input errors exit 2 with every issue listed and no
// stack; model invariant failures exit 1 with the seed and a replay command.

import chalk from 'chalk';
import { CommanderError } from 'commander';
import { InputError, formatIssue } from '../scenario/errors.js';
import { SimAssertionError, SimLimitError } from '../sim/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;

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

export function handleError(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
    if (e.code === 'ccsim.invalidArgument') process.stderr.write(`error: ${e.message}\n`);
    return EXIT_INPUT;
  }
  if (e instanceof InputError) {
    for (const i of e.issues) process.stderr.write(`${chalk.red('error')} ${formatIssue(i)}\n`);
    return EXIT_INPUT;
  }
  if (e instanceof RunFailure) {
    process.stderr.write(`${chalk.red('invariant failed')}: ${e.message}\n  replay: ${e.replay}\n`);
    return EXIT_FAILED;
  }
  if (e instanceof SimAssertionError || e instanceof SimLimitError) {
    process.stderr.write(`${chalk.red('invariant failed')}: ${e.message}\n`);
    return EXIT_FAILED;
  }
  if (e instanceof Error && 'code' in e && typeof (e as NodeJS.ErrnoException).code === 'string') {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`${chalk.red('error')} ${err.path ?? ''}: ${err.message}\n`);
    return EXIT_INPUT;
  }
  throw e;
}
