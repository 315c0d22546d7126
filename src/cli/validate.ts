// `ccsim validate`: schema and cross-reference checks plus topology lint warnings. A warning
// about a topology that several of the given scenarios use is printed once, with how many files
// reached it.

import chalk from 'chalk';
import { loadAny } from '../scenario/load.js';
import { lintScenario, lintTopology, type LintWarning } from '../scenario/lint.js';
import { InputError, type InputIssue } from '../scenario/errors.js';
import { EXIT_INPUT, EXIT_OK, printIssues } from './errors.js';

/** One warning and the files given to validate that led to it (a scenario reaches its topology). */
interface Collapsed extends LintWarning {
  via: string[];
}

export function validateCommand(files: string[], flags: { json?: boolean }): number {
  const issues: InputIssue[] = [];
  const warnings = new Map<string, Collapsed>();
  const ok: string[] = [];
  for (const f of files) {
    try {
      const loaded = loadAny(f);
      for (const w of loaded.kind === 'scenario'
        ? lintScenario(loaded.spec)
        : lintTopology(loaded.spec)) {
        const key = JSON.stringify([w.file, w.path, w.code, w.message]);
        const seen = warnings.get(key);
        if (seen === undefined) warnings.set(key, { ...w, via: [f] });
        else if (!seen.via.includes(f)) seen.via.push(f);
      }
      ok.push(f);
    } catch (e) {
      if (e instanceof InputError) for (const i of e.issues) issues.push(i);
      else throw e;
    }
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ ok, issues, warnings: [...warnings.values()] }, null, 2)}\n`,
    );
  } else {
    printIssues(issues);
    for (const w of warnings.values()) {
      const others = w.via.filter((v) => v !== w.file).length;
      const via =
        others > 0 ? chalk.dim(` (through ${others} file${others === 1 ? '' : 's'} given)`) : '';
      process.stdout.write(
        `${chalk.yellow('warning')} ${w.file}: ${w.path}: ${w.message} [${w.code}]${via}\n`,
      );
    }
    for (const f of ok) process.stdout.write(`${chalk.green('ok')} ${f}\n`);
  }
  return issues.length > 0 ? EXIT_INPUT : EXIT_OK;
}
