// House rule (#16): no model file over 600 lines. A model file that grows past it does several
// jobs; split it by job (telephony.ts: entry, routing, agent control, call pool, ...).
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAX_LINES = 600;

describe('model files', () => {
  test(`each file under src/models has at most ${MAX_LINES} lines`, () => {
    const dir = join(ROOT, 'src/models');
    const long = readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name))
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
