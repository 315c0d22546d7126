// Every summary.csv metric has a deliberate direction (compare highlights, check --baseline).
import { describe, expect, test } from 'vitest';
import { SUMMARY_METRIC_COLUMNS } from '../../src/scenario/columns.js';
import { METRIC_DIRECTIONS, isWorse } from '../../src/report/direction.js';

describe('metric directions', () => {
  test('the table names exactly the summary.csv metrics', () => {
    expect(Object.keys(METRIC_DIRECTIONS).sort()).toEqual([...SUMMARY_METRIC_COLUMNS].sort());
  });

  test('more dropped calls is worse; a higher service level is better; events are neutral', () => {
    expect(isWorse('calls_dropped', 0, 1)).toBe(true);
    expect(isWorse('service_level', 0.9, 0.8)).toBe(true);
    expect(isWorse('service_level', 0.8, 0.9)).toBe(false);
    expect(isWorse('events', 1, 1000)).toBe(false);
  });
});
