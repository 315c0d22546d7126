// Compiles the project once before the tests: CLI tests run the built bin like a user does.
// (CCSIM_SKIP_BUILD=1 skips it when only model tests run during development.)
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.CCSIM_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
