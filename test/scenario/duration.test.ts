import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseDurationMs } from '../../src/scenario/duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['9s', 9_000],
    ['1.5m', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['2m 30s', 150_000],
    [' 9s ', 9_000],
    ['9 s', 9_000],
    ['0s', 0],
    ['.5s', 500],
    ['0.0004s', 0],
    ['1.0006s', 1_001],
    [30, 30_000],
    [0, 0],
    [0.25, 250],
    [1.5, 1_500],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each([
    ['9 sec', 'unknown duration unit "sec"', 'did you mean "9s"?'],
    ['5mins', 'unknown duration unit "mins"', 'did you mean "5m"?'],
    ['2 hours', 'unknown duration unit "hours"', 'did you mean "2h"?'],
    ['10 parsecs', 'unknown duration unit "parsecs"', undefined],
    ['30', 'duration without a unit', 'did you mean "30s"?'],
    ['-5s', 'must not be negative', undefined],
    ['', 'empty duration', undefined],
    ['soon', 'not a duration', undefined],
    ['1e3s', 'unknown duration unit "e"', undefined],
  ])('%j is refused: %s', (input, message, hint) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain(message);
    expect(r.hint).toBe(hint);
    expect(r.found).toBe(JSON.stringify(input));
  });

  it.each([
    [-1, 'must not be negative'],
    [Number.NaN, 'must be finite'],
    [Number.POSITIVE_INFINITY, 'must be finite'],
    [1e300, 'too large'],
    [true, 'not a duration'],
    [null, 'not a duration'],
    [[1], 'not a duration'],
    [{ s: 1 }, 'not a duration'],
  ])('%j is refused: %s', (input, message) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it('marks values of the wrong kind (for union branch choice)', () => {
    const r = parseDuration({ mean: 1 });
    expect(!r.ok && r.typeMismatch).toBe(true);
    const s = parseDuration('9 sec');
    expect(!s.ok && s.typeMismatch).toBe(false);
  });

  it('parseDurationMs throws with the found value', () => {
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(() => parseDurationMs('2 weeks')).toThrow(/"2 weeks"/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [9_000, '9s'],
    [90_000, '90s'],
    [600_000, '10m'],
    [7_200_000, '2h'],
    [86_400_000, '1d'],
    [1_234, '1.234s'],
    [-9_000, '-9s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration for any whole number of ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
      }),
    );
  });
});
