// The README's model-assumption table is generated from the option registry; every option in
// the registry is read by some model (no option that silently does nothing).
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { modelAssumptionsMarkdown } from '../../src/report/options-doc.js';
import { OPTION_SPECS } from '../../src/models/options.js';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (f.endsWith('.ts') && f !== 'defaults.ts') out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

describe('documentation', () => {
  test('README lists every model assumption with its default', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = readme
      .split('<!-- model-assumptions:start -->')[1]
      ?.split('<!-- model-assumptions:end -->')[0]
      ?.trim();
    expect(block).toBe(modelAssumptionsMarkdown());
  });

  test('every option is read by a model', () => {
    const code = sources(join(root, 'src/models')).join('\n');
    const unread = OPTION_SPECS.filter((o) => !code.includes(`'${o.name}'`)).map((o) => o.name);
    expect(unread).toEqual([]);
  });
});
