import { describe, expect, it } from 'vitest';
import { fmtClock, fmtDur } from '../../src/report/html/svg.js';
import { formatMetric } from '../../src/report/html/charts.js';

describe('fmtClock', () => {
  it('rounds once, so a carry reaches the minute, the hour and the day', () => {
    expect(fmtClock(59.9996, 0.001)).toBe('0:01:00.000');
    expect(fmtClock(3599.9999, 0.001)).toBe('1:00:00.000');
    expect(fmtClock(86399.9999, 0.001)).toBe('d1 00:00:00.000');
    expect(fmtClock(3599.6, 1)).toBe('1:00:00');
  });

  it('reads days from the second day on, whole days on a day axis', () => {
    expect(fmtClock(90061.25, 0.001)).toBe('d1 01:01:01.250');
    expect(fmtClock(90000, 60)).toBe('d1 01:00');
    expect(fmtClock(172800, 86400)).toBe('day 2');
  });

  it('signs negative times, but not one that rounds to zero', () => {
    expect(fmtClock(-5.5, 0.1)).toBe('-0:00:05.5');
    expect(fmtClock(-0.0001, 0.001)).toBe('0:00:00.000');
  });
});

describe('fmtDur', () => {
  it('rounds once, so a carry reaches the next unit', () => {
    expect(fmtDur(119.6)).toBe('2 min 00 s');
    expect(fmtDur(3599.6)).toBe('1 h 00 min');
    expect(fmtDur(7199.9)).toBe('2 h 00 min');
    expect(fmtDur(2 * 86400 - 1)).toBe('2 d 00 h');
    expect(fmtDur(3 * 86400 + 23.6 * 3600)).toBe('4 d 00 h');
  });

  it('keeps its units', () => {
    expect(fmtDur(0.501)).toBe('0.501 s');
    expect(fmtDur(17.34)).toBe('17.3 s');
    expect(fmtDur(32 * 60 + 21)).toBe('32 min 21 s');
    expect(fmtDur(3900)).toBe('1 h 05 min');
    expect(fmtDur(3 * 86400 + 5 * 3600)).toBe('3 d 05 h');
  });
});

describe('formatMetric', () => {
  it('shows availability in nines, not rounded to 1.00', () => {
    expect(formatMetric('center_availability', 0.9963641)).toBe('99.6364 %');
    expect(formatMetric('center_availability', 1)).toBe('100.0000 %');
    expect(formatMetric('service_level', 0.9643)).toBe('96.4 %');
  });
});
