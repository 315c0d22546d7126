// Every runtime dependency is used: ccsim ships what it imports, nothing more (an unused package
// is install time, audit noise and supply-chain surface for nothing; cli-progress was one).
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('package.json dependencies', () => {
  test('each runtime dependency is imported by the shipped code (src, bin, scripts)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const text = ['src', 'bin', 'scripts']
      .flatMap(sources)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(pkg.dependencies).filter(
      (name) =>
        !new RegExp(`['"]${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^'"]*)?['"]`).test(
          text,
        ),
    );
    expect(unused).toEqual([]);
  });
});
