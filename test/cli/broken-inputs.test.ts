// The broken-input corpus through the CLI: every file exits 2 with a message naming the file,
// no stack trace, and no report directory left behind.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ccsim, tempDir } from './helpers.js';

const dir = join(ROOT, 'test/fixtures/broken');
const files = readdirSync(dir).sort();

describe('broken inputs exit 2 with an actionable message', () => {
  test('the corpus has at least 15 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const f of files) {
    test(f, () => {
      const rel = join('test/fixtures/broken', f);
      const cmd = f.includes('.topo.') ? ['validate', rel] : ['run', rel];
      const out = join(tempDir('broken'), 'r');
      const r = ccsim(f.includes('.topo.') ? cmd : [...cmd, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/error/);
      expect(r.stderr).not.toMatch(/\n\s+at [\w.<]+ \(/); // no stack trace
      expect(r.stderr.length).toBeGreaterThan(20);
      expect(existsSync(out)).toBe(false);
    });
  }

  test('a missing scenario file', () => {
    const r = ccsim(['run', 'scenarios/does-not-exist.yaml', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does-not-exist\.yaml/);
  });
});
