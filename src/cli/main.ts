// ccsim command line: commander wiring only. Exit codes: 0 success, 1 an expectation,
// baseline or invariant failed, 2 invalid input or usage, 3 an output could not be written,
// 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM, 141 standard output closed (SIGPIPE).

// First: the signal handlers are in place before anything else loads.
import './signals.js';
import { Argument, Command } from 'commander';
import { runCommand, type RunFlags } from './run.js';
import { validateCommand } from './validate.js';
import { schemaCommand } from './schema.js';
import { VERSION } from './version.js';
import { optionsCommand, type OptionsFlags } from './options.js';
import { handleError } from './errors.js';
import { printable } from '../scenario/errors.js';
import { reportCommand } from './report.js';
import { collect, share, shardArg, wholeNumber, workersOption } from './args.js';
import { addExperimentCommands } from './experiments.js';
import { exploreCommand, type ExploreFlags } from './explore.js';
import { completionCommand, SHELLS, type Shell } from './completion.js';
import { applyColor, COLOR_RULE } from './terminal.js';
import { examples, markRequired } from './help.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ccsim')
    .description(
      'Deterministic discrete-event simulator of a two-site Genesys contact center under faults',
    )
    .version(VERSION)
    .option('--no-color', 'no colour in any output (also NO_COLOR=1; FORCE_COLOR=1 forces it)')
    .showHelpAfterError('(run with --help for usage)')
    // Commander echoes unknown options and bad values: no raw control character reaches the terminal.
    .configureOutput({
      writeErr: (text) => process.stderr.write(printable(text, { keepNewlines: true })),
    })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Examples:
  $ npx ccsim run scenarios/site-failure.yaml --html
  $ npx ccsim check scenarios/*.yaml --junit test-output/ccsim.xml
  $ npx ccsim schema scenario > scenario.schema.json

Colour: ${COLOR_RULE}.
Exit codes: 0 success; 1 an expectation, baseline or invariant failed; 2 invalid input or usage; 3 an output could not be written; 130 / 143 (129: SIGHUP) interrupted; 141 the reader of standard output went away.
Run "npx ccsim <command> --help" for a command's options and examples.`,
  );

  program
    .command('run')
    .description('run scenarios, write a report directory each, print a summary table')
    .argument('<scenario...>', 'scenario YAML files')
    .option('--topology <file>', 'replace the topology named in the scenario')
    .option('--seed <n>', 'root seed', wholeNumber('--seed', 0))
    .option('--replications <n>', 'number of replications', wholeNumber('--replications', 1))
    .option(
      '--replication <r>',
      'run only replication r (0-based, as in summary.csv): replays one replication',
      wholeNumber('--replication', 0),
    )
    .option(
      '--set <key=value>',
      'override an option (repeatable): addp-timeout=5s, traffic.calls-per-hour=3000, …',
      collect,
      [],
    )
    .option('--out <dir>', 'report directory (default reports/<scenario>--<topology>/)')
    .addOption(workersOption())
    .option(
      '--shard <i/n>',
      'run the i-th of n slices of the replications (1-based); join them with ccsim merge',
      shardArg,
    )
    .option(
      '--precision <metric=halfwidth>',
      'add replications until the 95% interval of the metric is within ± halfwidth (repeatable)',
      collect,
      [],
    )
    .option(
      '--replications-max <n>',
      'bound on replications with --precision (default 100)',
      wholeNumber('--replications-max', 2),
    )
    .option('--html', 'also write report.html')
    .option('--quiet', 'print nothing but errors and failed expect: lines')
    .option('--json', 'print the summary as JSON instead of a table')
    .action(async (scenarios: string[], flags: RunFlags) => {
      process.exitCode = await runCommand(scenarios, flags, process.argv.slice(2));
    });

  addExperimentCommands(program);

  program
    .command('explore')
    .description(
      'random fault schedules against expect: and the invariants; writes a minimal reproducer per violation',
    )
    .argument('<scenario>', 'scenario YAML file (its topology, traffic and expect: are used)')
    .requiredOption('--runs <n>', 'number of random schedules', wholeNumber('--runs', 1))
    .option('--seed <n>', "root seed (default: the scenario's)", wholeNumber('--seed', 0))
    .option(
      '--permanent <share>',
      'share of schedules (0 to 1) that also lose a site, a host or both hosts of a telephony pair for good; liveness then judges what survives (default 0)',
      share('--permanent'),
    )
    .option(
      '--out <dir>',
      'where reproducers and coverage.csv go (default reports/<scenario>--explore/)',
    )
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print violations, reproducers and coverage as JSON')
    .addOption(workersOption('schedules judged at once; the outcome does not depend on it'))
    .action(async (file: string, flags: ExploreFlags) => {
      process.exitCode = await exploreCommand(file, flags, process.argv.slice(2));
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
    .command('options')
    .description(
      'list every option (vendor names), its default and its source (doc, seed or model assumption); with a file, the value for the application, a group or a person and the level it comes from',
    )
    .argument('[file]', 'a topology or scenario: show resolved values and where each comes from')
    .option(
      '--group <group>',
      'resolve for this agent group (its options over tenant and application)',
    )
    .option('--person <agent>', 'resolve for this agent, as agents.csv names it (sales-007)')
    .action((file: string | undefined, flags: OptionsFlags) => {
      process.exitCode = optionsCommand(file, flags);
    });

  program
    .command('report')
    .description('write report.html (self-contained, no network) for an existing report directory')
    .argument('<dir>', 'report directory written by ccsim run')
    .option('--quiet', 'print nothing but errors')
    .action((dir: string, flags: { quiet?: boolean }) => {
      process.exitCode = reportCommand(dir, flags);
    });

  program
    .command('schema')
    .description('print the JSON Schema of topology or scenario files (for an editor), or both')
    .addArgument(
      new Argument(
        '[kind]',
        'topology or scenario: one schema an editor can use; none: both, as {topology, scenario}',
      ).choices(['topology', 'scenario']),
    )
    .action((kind: 'topology' | 'scenario' | undefined) => {
      process.exitCode = schemaCommand(kind);
    });

  program
    .command('completion')
    .description('print a shell completion script (commands, options, --set keys)')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(SHELLS))
    .action((shell: Shell) => {
      process.exitCode = completionCommand(program, shell);
    });

  examples(program);
  markRequired(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  applyColor(argv);
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    process.exitCode = handleError(e);
  }
}

await main(process.argv.slice(2));
