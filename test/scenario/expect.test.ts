import { describe, expect, it } from 'vitest';
import { SUMMARY_COLUMNS, SUMMARY_METRIC_COLUMNS } from '../../src/scenario/columns.js';
import { parseExpectation } from '../../src/scenario/expect.js';

describe('summary columns', () => {
  it('start with the SPEC §3 columns in order (extensions only after them)', () => {
    expect(SUMMARY_COLUMNS.slice(0, 27).join(', ')).toBe(
      'scenario, topology, seed, replication, sim_s, events, calls_offered, calls_answered, calls_abandoned, ' +
        'calls_rejected, calls_dropped, calls_degraded, service_level, asa_s, switchovers, switchover_max_s, ' +
        'service_gap_max_s, split_brain_s, agents, agents_impacted, agent_outage_mean_s, agent_outage_max_s, ' +
        'dr_switchovers, icon_events, icon_lost_all, icon_missing_max, stuck_calls',
    );
    expect(SUMMARY_METRIC_COLUMNS).not.toContain('scenario');
    expect(SUMMARY_METRIC_COLUMNS).toHaveLength(SUMMARY_COLUMNS.length - 2);
  });
});

describe('parseExpectation', () => {
  it.each([
    ['switchover_max_s <= 20', { metric: 'switchover_max_s', op: '<=', value: 20 }],
    ['icon_lost_all == 0', { metric: 'icon_lost_all', op: '==', value: 0 }],
    [
      'p95(agent_outage_max_s) < 90',
      { agg: 'p95', metric: 'agent_outage_max_s', op: '<', value: 90 },
    ],
    ['max( asa_s )>=1.5m', { agg: 'max', metric: 'asa_s', op: '>=', value: 90 }],
    [
      'mean(split_brain_s) != 250ms',
      { agg: 'mean', metric: 'split_brain_s', op: '!=', value: 0.25 },
    ],
    ['service_level > 80%', { metric: 'service_level', op: '>', value: 0.8 }],
    ['calls_dropped < 1e3', { metric: 'calls_dropped', op: '<', value: 1000 }],
    ['sim_s >= 2h', { metric: 'sim_s', op: '>=', value: 7200 }],
  ])('%s', (line, want) => {
    const r = parseExpectation(line);
    expect(r).toEqual({ ok: true, value: { text: line.trim(), ...want } });
  });

  it.each([
    ['switchover_max <= 20', 'unknown metric "switchover_max"', 'did you mean "switchover_max_s"?'],
    ['scenario == 1', 'unknown metric "scenario"', undefined],
    ['avg(asa_s) < 20', 'unknown aggregate "avg"', 'did you mean "mean"?'],
    ['p59(asa_s) < 20', 'unknown aggregate "p59"', 'did you mean "p50"?'],
    ['asa_s = 20', 'unknown operator "="', 'did you mean "=="?'],
    ['asa_s => 20', 'unknown operator "=>"', 'did you mean ">="?'],
    ['calls_dropped < 5s', '"calls_dropped" is not a time', undefined],
    ['asa_s < twenty', 'not an expectation', undefined],
    ['asa_s < 5 weeks', 'unknown unit "weeks"', undefined],
    ['asa_s < 50%', '"%" only applies to service_level', undefined],
    ['asa_s', 'not an expectation', undefined],
  ])('%s is refused: %s', (line, message, hint) => {
    const r = parseExpectation(line);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain(message);
    expect(r.hint).toBe(hint);
  });

  it('refuses a map (a YAML key: value written by mistake)', () => {
    expect(parseExpectation({ icon_lost_all: 0 })).toMatchObject({
      ok: false,
      message: 'wrong type',
      found: 'a map',
    });
  });
});
