// Runs the built CLI as a user would (after test/global-setup.ts compiled it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

export function ccsim(
  args: string[],
  cwd = ROOT,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `ccsim-${label}-`));
}

/** Every CSV of a report directory, by name. */
export function csvFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).sort())
    if (f.endsWith('.csv')) out.set(f, readFileSync(join(dir, f), 'utf8'));
  return out;
}
