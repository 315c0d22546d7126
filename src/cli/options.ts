// `ccsim options`: every option ccsim knows, with its default and where the default comes from.

import { optionsMarkdown } from '../report/options-doc.js';
import { EXIT_OK } from './errors.js';

export function optionsCommand(): number {
  process.stdout.write(`${optionsMarkdown()}\n`);
  return EXIT_OK;
}
