// A progress bar with ETA on stderr, drawn only when stderr is a terminal (never in CI logs or
// when output is piped); otherwise every call is a no-op.

import cliProgress from 'cli-progress';

export interface Progress {
  increment(): void;
  stop(): void;
  /** Whether anything is drawn (callers yield to the event loop between items only then). */
  readonly active: boolean;
}

const SILENT: Progress = { increment() {}, stop() {}, active: false };

/** Bars with fewer items than this are not worth drawing. */
const PROGRESS_ITEMS_MIN = 2;

export function progressBar(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || !process.stderr.isTTY || total < PROGRESS_ITEMS_MIN) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    active: true,
    increment: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
