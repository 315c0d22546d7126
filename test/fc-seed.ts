// One fast-check seed per test run (CI reproducible): FC_SEED=<integer> picks it, else
// FC_SEED_DEFAULT. Every property without a seed of its own draws from it; a failure prints
// fast-check's seed and path, and `FC_SEED=<seed> npx vitest run <file>` replays the run.
// Loaded by vitest before each test file (vitest.config.ts setupFiles); the global setup
// prints the seed once per run.
import fc from 'fast-check';

/** The seed when FC_SEED is not set: fixed, so that two CI runs of one commit draw alike. */
export const FC_SEED_DEFAULT = 20261130;

/** FC_SEED as a seed, or the default; throws on anything but a 32-bit integer. */
export function fcSeed(raw: string | undefined = process.env.FC_SEED): number {
  if (raw === undefined || raw.trim() === '') return FC_SEED_DEFAULT;
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32)
    throw new Error(`FC_SEED: expected an integer seed (fast-check takes 32 bits), found "${raw}"`);
  return seed;
}

fc.configureGlobal({ seed: fcSeed() });
