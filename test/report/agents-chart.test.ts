// The agents chart of the HTML report (issue #17): a site's agents are its agents of every
// group, each counted once, whatever services share a group and in whatever order the interval
// rows come; intervals.csv carries them as site_agents_*. Budget: ~1 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { agentsChartSvg } from '../../src/report/html/charts.js';
import type { IntervalRow, ReportData } from '../../src/report/html/data.js';
import { handScenario, handTopology, traffic } from '../models/hand-spec.js';

function row(service: number, loggedIn: number, siteLoggedIn: number | undefined): IntervalRow {
  return {
    rep: 0,
    startS: 0,
    site: 'A',
    offered: service,
    answered: service,
    abandoned: 0,
    dropped: 0,
    serviceLevel: undefined,
    asaS: undefined,
    loggedIn,
    readyMean: loggedIn / 2,
    siteLoggedIn,
    siteReadyMean: siteLoggedIn === undefined ? undefined : siteLoggedIn / 2,
  };
}

function chart(intervals: IntervalRow[]): string {
  const d = { intervals, durationS: new Map([[0, 900]]), faults: [] } as unknown as ReportData;
  return agentsChartSvg(d, 0);
}

describe('agents chart', () => {
  test('the site agents of every group, once, whichever service row comes first', () => {
    // Service X takes sales + support (10 agents), service Y support only (6).
    const x = row(1, 10, 10);
    const y = row(2, 6, 10);
    for (const rows of [
      [x, y],
      [y, x],
    ]) {
      expect(chart(rows)).toContain('A: 10 logged in, 5 ready');
    }
    // A report written before site_agents_*: the largest service row (never the sum 16).
    expect(chart([row(2, 6, undefined), row(1, 10, undefined)])).toContain('A: 10 logged in,');
  });

  test('intervals rows: site_agents counts an agent of a group two services share once', () => {
    const t = traffic(0, 120_000);
    const svc = (name: string, groups: string[]) => ({
      name,
      callsPerHour: 60,
      groups,
      siteSplit: { A: 1, B: 0 },
      handleTime: t.handleTime,
      wrapUpMs: 0,
      patienceMs: undefined,
    });
    t.services = [svc('x', ['sales', 'support']), svc('y', ['support'])];
    const spec = handScenario([], {
      seed: 2,
      durationMs: 1_800_000,
      topology: handTopology('hot'),
      traffic: t,
      agents: [
        { group: 'sales', count: 4, preferredSite: 'A', peerSite: 'B' },
        { group: 'support', count: 6, preferredSite: 'A', peerSite: 'B' },
      ],
    });
    const rows = new Center(spec, 0).run().intervals.filter((r) => r.startMs === 900_000);
    const at = (service: string) => rows.find((r) => r.site === 'A' && r.service === service)!;
    expect(at('x').loggedInMean).toBe(10);
    expect(at('y').loggedInMean).toBe(6);
    expect(at('x').siteLoggedInMean).toBe(10);
    expect(at('y').siteLoggedInMean).toBe(10);
    expect(rows.find((r) => r.site === 'B' && r.service === 'x')!.siteLoggedInMean).toBe(0);
  });
});
