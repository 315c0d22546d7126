// Arrays whose element kind does not depend on V8's compiler tier (src/sim/arrays.ts). V8's own
// view of an array (holey or packed, its hidden class) is read with its natives syntax, in a
// node of its own running the built module as the CLI does.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapObjects } from '../../src/sim/index.js';

const arrays = pathToFileURL(path.resolve('dist/src/sim/arrays.js')).href;

interface Tiers {
  /** The function that builds the array was compiled by TurboFan before its last call. */
  optimized: boolean;
  coldHoley: boolean;
  hotHoley: boolean;
  /** The arrays built before and after have the same hidden class. */
  sameMap: boolean;
}

/** Builds an array with `body` (src → array; mapObjects in scope) unoptimised, then compiled. */
function tiers(body: string): Tiers {
  const script = `
    const { mapObjects } = await import(${JSON.stringify(arrays)});
    const build = (src) => ${body};
    %PrepareFunctionForOptimization(build);
    const cold = build([1, 2, 3]);
    // Enough calls for the functions it calls to have feedback, as a constructor's after a few
    // replications: TurboFan inlines them then.
    for (let i = 0; i < 50; i++) build([1, 2, 3]);
    %OptimizeFunctionOnNextCall(build);
    const hot = build([1, 2, 3]);
    console.log(JSON.stringify({
      optimized: (%GetOptimizationStatus(build) & 16) !== 0,
      coldHoley: %HasHoleyElements(cold),
      hotHoley: %HasHoleyElements(hot),
      sameMap: %HaveSameMap(cold, hot),
    }));`;
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as Tiers;
}

describe('mapObjects', () => {
  it('maps in order with the index', () => {
    expect(mapObjects(['a', 'b', 'c'], (s, i) => `${s}${i}`)).toEqual(['a0', 'b1', 'c2']);
    expect(mapObjects([], () => 1)).toEqual([]);
  });

  it('returns an array of the same hidden class before and after TurboFan compiles its caller', () => {
    // A model's constructor: run once a replication, compiled by TurboFan after many.
    expect(tiers('mapObjects(src, (x) => ({ x }))')).toEqual({
      optimized: true,
      coldHoley: false,
      hotHoley: false,
      sameMap: true,
    });
  });

  it('is needed: Array.prototype.map returns another hidden class once its caller is compiled', () => {
    // The hazard mapObjects avoids (V8 of Node 20): should this stop holding, it is moot.
    expect(tiers('src.map((x) => ({ x }))')).toEqual({
      optimized: true,
      coldHoley: false,
      hotHoley: true,
      sameMap: false,
    });
  });
});
