// Builds the project once before the tests, as `npm run build` does: CLI tests run the built bin
// like a user does, and report.html carries the what-if bundle (dist/web/whatif.js).
// (CCSIM_SKIP_BUILD=1 skips it when only model tests run during development.)
import { execFileSync } from 'node:child_process';
import { fcSeed } from './fc-seed.js';

export default function setup(): void {
  // Printed once per run, so a property failure in CI's log can be replayed with the same draws.
  const seed = fcSeed();
  process.stdout.write(
    `fast-check seed ${seed}${process.env.FC_SEED ? ' (FC_SEED)' : ' (default; FC_SEED=<n> picks another)'}\n`,
  );
  if (process.env.CCSIM_SKIP_BUILD === '1') return;
  const tsc = 'node_modules/typescript/bin/tsc';
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', 'src/web/tsconfig.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-web.js'], { stdio: 'inherit' });
}
