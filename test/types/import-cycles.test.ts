// No import cycles in src/, type-only imports included (a type-level cycle couples two files as
// tightly as a runtime one: host.ts and lca.ts once imported each other). Reads the import and
// export-from lines of every src/**/*.ts and looks for a strongly connected component of more
// than one file. Budget: reads ~200 files (~50 ms).
import { describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of each file, resolved to the .ts file they name. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
      const target = path.join(path.dirname(f), m[1]!.replace(/\.js$/, '.ts'));
      if (fs.existsSync(target)) deps.push(target);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Tarjan's strongly connected components of more than one file, each sorted. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(path.relative(SRC, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return found;
}

describe('import graph of src/', () => {
  const graph = importGraph(sourceFiles(SRC));

  test('the graph is read (host.ts imports lca.ts)', () => {
    const host = path.join(SRC, 'models/host/host.ts');
    expect(graph.get(host)).toContain(path.join(SRC, 'models/lca/lca.ts'));
  });

  test('has no cycles, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('a cycle is found when there is one', () => {
    const g = new Map([
      ['/x/a.ts', ['/x/b.ts']],
      ['/x/b.ts', ['/x/a.ts']],
      ['/x/c.ts', ['/x/a.ts']],
    ]);
    expect(cycles(g)).toHaveLength(1);
  });
});
