// Commander wiring of the experiment commands: sweep, merge, compare, check.

import type { Command } from 'commander';
import { collect, decimal, shardArg, usageError, wholeNumber, workersOption } from './args.js';
import { checkCommand, TOLERANCE_PCT_DEFAULT, type CheckFlags } from './check.js';
import { compareCommand, type CompareFlags } from './compare.js';
import { mergeCommand, type MergeFlags } from './merge.js';
import { sweepCommand, type SweepFlags } from './sweep.js';

export function addExperimentCommands(program: Command): void {
  program
    .command('sweep')
    .description(
      'run a cartesian grid of --set values, every point with the same seed and replications',
    )
    .argument('<scenario>', 'scenario YAML file')
    .option(
      '--set <key=v1,v2,...>',
      'an axis of the grid (repeatable); one value: a fixed override. Commas inside quotes, {…} or […] need no escape; elsewhere write \\,',
      collect,
      [],
    )
    .option('--topology <file>', 'replace the topology named in the scenario')
    .option('--seed <n>', 'root seed', wholeNumber('--seed', 0))
    .option('--replications <n>', 'replications per point', wholeNumber('--replications', 1))
    .addOption(workersOption())
    .option(
      '--shard <i/n>',
      'run the i-th of n slices of the work items (1-based); join them with ccsim merge',
      shardArg,
    )
    .option('--out <dir>', 'report directory (default reports/<scenario>--<topology>--sweep/)')
    .option('--quiet', 'print nothing but errors')
    .option('--json', "print every point's means as JSON instead of the table")
    .action(async (scenario: string, flags: SweepFlags) => {
      process.exitCode = await sweepCommand(scenario, flags, process.argv.slice(2));
    });

  program
    .command('merge')
    .description('join the report directories of the shards of one run or sweep (--shard i/n)')
    .argument('<dir...>', 'shard report directories, one per shard')
    .requiredOption('--out <dir>', 'report directory to write')
    .option('--quiet', 'print nothing but errors and failed expect: lines')
    .option('--json', 'print the outcome as run --json (a sweep: as sweep --json) does')
    .action(async (dirs: string[], flags: MergeFlags) => {
      process.exitCode = await mergeCommand(dirs, flags, process.argv.slice(2));
    });

  program
    .command('compare')
    .description(
      'compare report directories: means, 95% intervals, differences from the first; worse values in red',
    )
    .argument('<dir...>', 'report directories of ccsim run (two or more)')
    .option('--csv <file>', 'also write the comparison as CSV')
    .option('--html <file>', 'also write an HTML page with the runs side by side')
    .option('--quiet', 'print nothing (with --csv or --html)')
    .option('--json', 'print the comparison as JSON instead of the table')
    .action((dirs: string[], flags: CompareFlags) => {
      if (dirs.length < 2)
        usageError(`compare needs two or more report directories, found ${dirs.length}`);
      process.exitCode = compareCommand(dirs, flags);
    });

  program
    .command('check')
    .description(
      'run scenarios (or read report directories) and evaluate their expect: lines; exit 1 on a failure',
    )
    .argument('<scenario-or-dir...>', 'scenario YAML files or report directories of ccsim run')
    .option('--topology <file>', 'replace the topology named in the scenarios')
    .option('--seed <n>', 'root seed', wholeNumber('--seed', 0))
    .option('--replications <n>', 'number of replications', wholeNumber('--replications', 1))
    .option('--set <key=value>', 'override an option (repeatable)', collect, [])
    .addOption(workersOption())
    .option('--baseline <dir>', 'a report directory (or a directory of them) to compare with')
    .option(
      '--tolerance <pct>',
      `percent a metric may be worse than the baseline (default ${TOLERANCE_PCT_DEFAULT})`,
      decimal('--tolerance'),
    )
    .option('--junit <file>', 'write the results as JUnit XML')
    .option('--quiet', 'print only failures')
    .option('--json', 'print the results as JSON instead of lines')
    .action(async (args: string[], flags: CheckFlags) => {
      process.exitCode = await checkCommand(args, flags);
    });
}
