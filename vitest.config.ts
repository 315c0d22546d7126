import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One fast-check seed for the run (FC_SEED, else a fixed default): see test/fc-seed.ts.
    setupFiles: ['test/fc-seed.ts'],
    testTimeout: 120_000,
    // Hooks start Chromium and run the CLI: on a loaded 2-core machine that can take over 10 s.
    hookTimeout: 120_000,
    pool: 'forks',
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
