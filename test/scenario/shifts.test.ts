// `shifts` of an agent group (SPEC §5.1): how they load, what the loader refuses (exit 2 with
// path, expected and found), the lint for agents in no shift, the editor schema. Budget: < 1 s.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadTopology } from '../../src/scenario/load.js';
import { lintTopology } from '../../src/scenario/lint.js';
import { jsonSchemas } from '../../src/scenario/json-schema.js';
import { nextTimeOfDay, shiftOnAt } from '../../src/spec/shifts.js';
import { inputError, topoSmallWith, withFiles } from './helpers.js';

const SALES = '  - { group: sales, count: 10, preferred-site: A, peer-site: B }\n';
const withShifts = (shifts: string) =>
  topoSmallWith([
    SALES,
    `  - { group: sales, count: 10, preferred-site: A, peer-site: B, shifts: ${shifts} }\n`,
  ]);
const load = (text: string) =>
  withFiles({ 'topo.yaml': text }, (dir) => loadTopology(join(dir, 'topo.yaml')));
const errors = (text: string) =>
  withFiles(
    { 'topo.yaml': text },
    (dir) => inputError(() => loadTopology(join(dir, 'topo.yaml'))).message,
  );

describe('shifts in the topology', () => {
  test('times of day in ms; a shift without count takes the group; a night shift ends before it starts', () => {
    const t = load(
      withShifts('[ { start: 7h, end: 15h, count: 6 }, { start: 22h, end: 6h, count: 4 } ]'),
    );
    expect(t.agentGroups[0]!.shifts).toEqual([
      { startMs: 7 * 3_600_000, endMs: 15 * 3_600_000, count: 6 },
      { startMs: 22 * 3_600_000, endMs: 6 * 3_600_000, count: 4 },
    ]);
    expect(load(withShifts('[ { start: 8h, end: 24h } ]')).agentGroups[0]!.shifts).toEqual([
      { startMs: 8 * 3_600_000, endMs: 24 * 3_600_000, count: 10 },
    ]);
    expect(load(topoSmallWith()).agentGroups[0]!.shifts).toBeUndefined();
  });

  test('refused: start past the day, end at 0 or at the start, more agents than the group', () => {
    const e = errors(
      withShifts(
        '[ { start: 24h, end: 6h, count: 2 }, { start: 9h, end: 9h, count: 2 }, { start: 3h, end: 0s, count: 2 }, { start: 1h, end: 2h, count: 5 } ]',
      ),
    );
    expect(e).toContain(
      'agents[0].shifts[0].start: a shift starts within the day (expected a time of day from 0s to 23h59m59s',
    );
    expect(e).toContain('found 1d');
    expect(e).toContain(
      'agents[0].shifts[1].end: the shift ends when it starts (expected an end other than 9h; found 9h)',
    );
    expect(e).toContain('agents[0].shifts[2].end: a shift ends within the day');
    expect(e).toContain(
      "agents[0].shifts: the shifts have more agents than the group (expected at most the group's count, 10, in all shifts (each agent works one shift); found 11 (2 + 2 + 2 + 5))",
    );
    expect(errors(withShifts('[]'))).toContain('agents[0].shifts');
    expect(errors(withShifts('[ { start: 7h, end: 15h, count: 2, break: 30m } ]'))).toContain(
      'agents[0].shifts[0]',
    );
  });

  test('lint: agents in no shift never log in', () => {
    const t = load(withShifts('[ { start: 7h, end: 15h, count: 6 } ]'));
    const w = lintTopology(t).filter((x) => x.code === 'agents-in-no-shift');
    expect(w.map((x) => [x.path, x.message])).toEqual([
      ['agents[0].shifts', '4 of the 10 agents of group "sales" work no shift: they never log in'],
    ]);
    expect(
      lintTopology(load(withShifts('[ { start: 7h, end: 15h } ]'))).some(
        (x) => x.code === 'agents-in-no-shift',
      ),
    ).toBe(false);
  });

  test('the editor schema describes shifts', () => {
    const s = JSON.stringify(jsonSchemas().topology);
    expect(s).toContain('"shifts"');
    expect(s).toContain('time of day the agents log in');
  });
});

describe('shift windows', () => {
  const H = 3_600_000;
  test('a day shift is on from its start to its end; a night shift across midnight', () => {
    const day = { startMs: 7 * H, endMs: 15 * H, count: 1 };
    const night = { startMs: 22 * H, endMs: 6 * H, count: 1 };
    const onAt = (s: typeof day, hs: number[]) => hs.map((h) => shiftOnAt(s, h * H));
    expect(onAt(day, [0, 6.99, 7, 14.99, 15, 31, 39])).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
    expect(onAt(night, [0, 5.99, 6, 21.99, 22, 23.99, 24 + 3])).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(nextTimeOfDay(7 * H, 0)).toBe(7 * H);
    expect(nextTimeOfDay(0, 0)).toBe(24 * H);
    expect(nextTimeOfDay(7 * H, 7 * H)).toBe(31 * H);
    expect(nextTimeOfDay(24 * H, 0)).toBe(24 * H);
  });
});
