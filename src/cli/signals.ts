// SIGINT, SIGTERM and SIGHUP, and a closed standard output, stop every command at once: whatever
// is being written is removed (a report directory is only ever renamed into place whole, so the
// previous one stays), and the exit code is 128 + the signal number. Imported first by main.ts
// so that the handlers are in place before the rest of the CLI loads; simulations run on worker
// threads, so this thread is free to run them within a second.

import { abandonWrites } from '../report/write.js';

const EXIT_CODES: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

function onSignal(signal: NodeJS.Signals): void {
  abandonWrites();
  // A progress bar hides the cursor: give it back.
  if (process.stderr.isTTY) process.stderr.write('\u001b[?25h');
  process.stderr.write(`\nccsim: interrupted (${signal}); no report was left half-written\n`);
  process.exit(EXIT_CODES[signal] ?? 1);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);

// The reader of standard output went away (`ccsim … | head`): stop as a Unix tool stopped by
// SIGPIPE would, quietly and with 128 + 13, instead of an unhandled EPIPE and its stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  abandonWrites();
  process.exit(141);
});
