import { describe, expect, test } from 'vitest';
import { tickAtOrAfter } from '../../src/sim/index.js';

describe('tickAtOrAfter', () => {
  test('the first tick of phase + k·period at or after t (k ≥ 0)', () => {
    expect(tickAtOrAfter(3, 10, 3)).toBe(3);
    expect(tickAtOrAfter(3, 10, 4)).toBe(13);
    expect(tickAtOrAfter(3, 10, 13)).toBe(13);
    expect(tickAtOrAfter(3, 10, -50)).toBe(3); // never before the phase
    expect(tickAtOrAfter(-7, 10, 0)).toBe(3);
    expect(tickAtOrAfter(-7, 10, 3)).toBe(3);
  });
});
