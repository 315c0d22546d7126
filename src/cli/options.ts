// `ccsim options`: every option ccsim knows, with its default and where the default comes from;
// with a topology or scenario file, the value each option takes for the application, an agent
// group (--group) or one person (--person), and the level it comes from.

import { OPTIONS_BY_NAME } from '../models/options.js';
import { optionsMarkdown, valueText } from '../report/options-doc.js';
import { loadAny } from '../scenario/load.js';
import { optionOrigins } from '../scenario/option-origin.js';
import { EXIT_OK } from './errors.js';

export interface OptionsFlags {
  group?: string;
  person?: string;
}

export function optionsCommand(file?: string, flags: OptionsFlags = {}): number {
  if (file === undefined) {
    process.stdout.write(`${optionsMarkdown()}\n`);
    return EXIT_OK;
  }
  const report = optionOrigins(loadAny(file), flags);
  const lines = [
    `Options of ${file} for ${report.subject}:`,
    '',
    '| option | value | from |',
    '|---|---|---|',
  ];
  for (const r of report.rows) {
    lines.push(
      `| \`${r.name}\` | ${valueText(OPTIONS_BY_NAME.get(r.name)!, r.value)} | ${r.from} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
