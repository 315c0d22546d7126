// ccsim command line: commander wiring only. Exit codes: 0 success, 1 an expectation,
// baseline or invariant failed, 2 invalid input or usage.

import { Command, CommanderError, Option } from 'commander';
import { runCommand, type RunFlags } from './run.js';
import { validateCommand } from './validate.js';
import { schemaCommand } from './schema.js';
import { VERSION } from './version.js';
import { handleError } from './errors.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function wholeNumber(name: string, min: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      throw new CommanderError(2, 'ccsim.invalidArgument', `${name} expects a whole number >= ${min}, found "${v}"`);
    }
    return Number(v);
  };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ccsim')
    .description('Deterministic discrete-event simulator of a two-site Genesys contact center under faults')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('run scenarios, write a report directory each, print a summary table')
    .argument('<scenario...>', 'scenario YAML files')
    .option('--topology <file>', 'replace the topology named in the scenario')
    .option('--seed <n>', 'root seed', wholeNumber('--seed', 0))
    .option('--replications <n>', 'number of replications', wholeNumber('--replications', 1))
    .option('--set <key=value>', 'override an option (repeatable): addp-timeout=5s, traffic.calls-per-hour=3000, …', collect, [])
    .option('--out <dir>', 'report directory (default reports/<scenario>--<topology>/)')
    .addOption(new Option('--workers <n>', 'worker threads for replications').argParser(wholeNumber('--workers', 1)))
    .option('--html', 'also write report.html')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print the summary as JSON instead of a table')
    .action((scenarios: string[], flags: RunFlags) => {
      process.exitCode = runCommand(scenarios, flags, process.argv.slice(2));
    });

  program
    .command('validate')
    .description('check scenario and topology files: schema, cross-references, topology lint')
    .argument('<file...>', 'scenario or topology YAML files')
    .option('--json', 'print issues and warnings as JSON')
    .action((files: string[], flags: { json?: boolean }) => {
      process.exitCode = validateCommand(files, flags);
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario and topology files')
    .action(() => {
      process.exitCode = schemaCommand();
    });

  return program;
}

export function main(argv: string[]): void {
  const program = buildProgram();
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    process.exitCode = handleError(e);
  }
}

main(process.argv.slice(2));
