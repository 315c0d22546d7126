// Golden CSVs of shipped scenarios at fixed seeds: any change in behaviour shows up as a diff
// to review like code. UPDATE_GOLDEN=1 rewrites them.
import { describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ccsim, tempDir } from './helpers.js';

const CASES: { scenario: string; files: string[] }[] = [
  { scenario: 'host-loss-sip-primary', files: ['summary.csv', 'switchovers.csv', 'faults.csv'] },
  { scenario: 'lca-crash', files: ['summary.csv', 'switchovers.csv'] },
  { scenario: 'graceful-shutdown', files: ['summary.csv', 'switchovers.csv'] },
  { scenario: 'icon-both-down', files: ['summary.csv', 'data-loss.csv'] },
];

const update = process.env.UPDATE_GOLDEN === '1';

describe('golden outputs of shipped scenarios', () => {
  for (const c of CASES) {
    test(c.scenario, () => {
      const out = join(tempDir('golden'), 'r');
      const r = ccsim(['run', `scenarios/${c.scenario}.yaml`, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const dir = join(ROOT, 'test/golden', c.scenario);
      for (const f of c.files) {
        const actual = readFileSync(join(out, f), 'utf8');
        const file = join(dir, f);
        if (update || !existsSync(file)) {
          if (!update)
            throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 and review it`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(file, actual);
        }
        expect(actual, `${c.scenario}/${f} differs from its golden file`).toBe(
          readFileSync(file, 'utf8'),
        );
      }
    });
  }
});
