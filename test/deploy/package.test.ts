// The npm package as a user gets it: `npm pack` in a fresh clone (prepack builds dist/), a global
// install into a temporary prefix, and `ccsim run` of a shipped scenario by absolute path from an
// unrelated directory — the same CSVs as the clone's own run. `npx ccsim` in the clone still works.
// Budget: one TypeScript build (prepack), an offline install, three one-replication runs.
import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccsim, tempDir } from '../cli/helpers.js';
import { NODE_DIR, ROOT, cleanEnv, copyClone, expectSameCsvs, runOk } from './helpers.js';

const SCENARIO = 'scenarios/process-crash-sip-primary.yaml';

describe('the npm package', () => {
  test(
    'npm pack, npm i -g --prefix, then ccsim run from any directory; npx ccsim in the clone',
    { timeout: 400_000 },
    () => {
      const base = tempDir('pack');
      const clone = join(base, 'clone');
      copyClone(clone);

      // What a clone gives the user: the reference output.
      const reference = join(base, 'reference');
      expect(ccsim(['run', SCENARIO, '--out', reference, '--quiet']).code).toBe(0);

      const packed = runOk('npm', ['pack', '--json', '--pack-destination', base], {
        cwd: clone,
        timeoutMs: 240_000,
      });
      const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
        filename: string;
        files: { path: string }[];
      }[];
      const files = info!.files.map((f) => f.path);
      for (const f of [
        'LICENSE',
        'bin/ccsim',
        'dist/src/cli/main.js',
        'dist/src/cli/worker.js',
        'package.json',
        SCENARIO,
        'scenarios/topologies/two-site-hot.yaml',
      ]) {
        expect(files, f).toContain(f);
      }
      expect(files.filter((f) => /^(src|test|bench|dist\/bench|\.ci)\/|\.map$/.test(f))).toEqual(
        [],
      );
      expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);

      // A global install into a temporary prefix (dependencies from the npm cache `npm ci` filled).
      const prefix = join(base, 'prefix');
      runOk(
        'npm',
        [
          'install',
          '--global',
          '--prefix',
          prefix,
          join(base, info!.filename),
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
        ],
        { cwd: base, timeoutMs: 240_000 },
      );
      const elsewhere = join(base, 'elsewhere');
      mkdirSync(elsewhere);
      const env = cleanEnv({ PATH: `${join(prefix, 'bin')}:${NODE_DIR}:/usr/bin:/bin` });
      expect(
        runOk('sh', ['-c', 'command -v ccsim'], {
          cwd: elsewhere,
          env,
          timeoutMs: 10_000,
        }).stdout.trim(),
      ).toBe(join(prefix, 'bin', 'ccsim'));
      const version = (
        JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
      ).version;
      expect(
        runOk('ccsim', ['--version'], { cwd: elsewhere, env, timeoutMs: 30_000 }).stdout.trim(),
      ).toBe(version);
      const shipped = join(prefix, 'lib', 'node_modules', 'ccsim', SCENARIO);
      runOk('ccsim', ['run', shipped, '--out', join(elsewhere, 'out'), '--quiet'], {
        cwd: elsewhere,
        env,
        timeoutMs: 60_000,
      });
      expectSameCsvs(reference, join(elsewhere, 'out'));

      // `npx ccsim` in a clone runs the clone's own bin, with no registry.
      runOk(
        'npx',
        ['--offline', 'ccsim', 'run', SCENARIO, '--out', join(base, 'npx-out'), '--quiet'],
        { cwd: clone, timeoutMs: 60_000 },
      );
      expectSameCsvs(reference, join(base, 'npx-out'));
    },
  );
});
