// The run's fast-check seed (test/fc-seed.ts): every property without its own seed draws from one
// seed per run, FC_SEED or a fixed default, so CI is reproducible and a failure replays.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { FC_SEED_DEFAULT, fcSeed } from './fc-seed.js';

describe('fast-check seed per run', () => {
  test('the global seed is FC_SEED, else the fixed default', () => {
    expect(fc.readConfigureGlobal().seed).toBe(fcSeed());
    expect(fcSeed(undefined)).toBe(FC_SEED_DEFAULT);
    expect(fcSeed('')).toBe(FC_SEED_DEFAULT);
    expect(fcSeed('42')).toBe(42);
  });

  test('an unseeded property draws the same values every time (fast-check alone draws anew)', () => {
    const arb = fc.array(fc.integer(), { minLength: 3 });
    expect(fc.sample(arb, 20)).toEqual(fc.sample(arb, 20));
  });

  test('a bad FC_SEED is refused with what was found', () => {
    expect(() => fcSeed('soon')).toThrow(/FC_SEED: expected an integer seed .*found "soon"/);
    expect(() => fcSeed('1.5')).toThrow(/found "1.5"/);
    expect(() => fcSeed(String(2 ** 40))).toThrow(/32 bits/);
  });
});
