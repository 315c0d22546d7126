// `ccsim report <dir>`: writes report.html for an existing report directory (exit 2 when the
// directory is not one).

import { writeReportHtml } from '../report/html.js';
import { EXIT_OK } from './errors.js';

export function reportCommand(dir: string, flags: { quiet?: boolean } = {}): number {
  const file = writeReportHtml(dir);
  if (!flags.quiet) process.stdout.write(`report: ${file}\n`);
  return EXIT_OK;
}
