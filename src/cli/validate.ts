// `ccsim validate`: schema and cross-reference checks plus topology lint warnings.

import chalk from 'chalk';
import { loadAny } from '../scenario/load.js';
import { lintScenario, lintTopology, type LintWarning } from '../scenario/lint.js';
import { InputError, formatIssue, type InputIssue } from '../scenario/errors.js';
import { EXIT_INPUT, EXIT_OK } from './errors.js';

export function validateCommand(files: string[], flags: { json?: boolean }): number {
  const issues: InputIssue[] = [];
  const warnings: LintWarning[] = [];
  const ok: string[] = [];
  for (const f of files) {
    try {
      const loaded = loadAny(f);
      warnings.push(...(loaded.kind === 'scenario' ? lintScenario(loaded.spec) : lintTopology(loaded.spec)));
      ok.push(f);
    } catch (e) {
      if (e instanceof InputError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ok, issues, warnings }, null, 2)}\n`);
  } else {
    for (const i of issues) process.stderr.write(`${chalk.red('error')} ${formatIssue(i)}\n`);
    for (const w of warnings) process.stdout.write(`${chalk.yellow('warning')} ${w.file}: ${w.path}: ${w.message} [${w.code}]\n`);
    for (const f of ok) process.stdout.write(`${chalk.green('ok')} ${f}\n`);
  }
  return issues.length > 0 ? EXIT_INPUT : EXIT_OK;
}
