// report.html: built by `ccsim run --html` and `ccsim report`, opened from disk in headless
// Chromium with the network refused: the charts render, the page raises no error and asks for
// nothing but its own file; every name from input is escaped.
// UPDATE_SCREENSHOT=1 also refreshes docs/site-failure-report.png (the README's picture).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ccsim, ROOT, tempDir } from '../cli/helpers.js';
import { compareHtml, reportHtml, runTopology } from '../../src/report/html.js';
import { whatIfOfReportDir } from '../../src/report/whatif-input.js';
import { esc, jsonForScript } from '../../src/report/html/escape.js';
import { parseCsv } from '../../src/report/html/csv-parse.js';
import { csv } from '../../src/report/csv.js';
import { browserAvailable, launch, openReport } from './browser.js';

const HOSTILE = `</script><script>alert("x")</script> & 'q' "dq" <b>`;

/** The files of a report directory (CSV and run.json), by name. */
function dirFiles(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of readdirSync(dir).sort())
    if (f.endsWith('.csv') || f === 'run.json') m.set(f, readFileSync(join(dir, f), 'utf8'));
  return m;
}

/** A report directory of `ccsim run` for a shipped scenario. */
function run(scenario: string, label: string, ...args: string[]): string {
  const out = join(tempDir(label), 'r');
  const r = ccsim(['run', scenario, '--out', out, '--quiet', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return out;
}

/** The same files with hostile names in every place a name from input reaches the page. */
function hostile(files: Map<string, string>): Map<string, string> {
  const out = new Map(files);
  const summary = parseCsv(files.get('summary.csv')!, 'summary.csv');
  out.set(
    'summary.csv',
    csv(
      summary.columns,
      summary.rows.map((r) =>
        summary.columns.map((c) =>
          c === 'scenario' || c === 'topology' ? `${HOSTILE}${c}` : r[c]!,
        ),
      ),
    ),
  );
  const runJson = JSON.parse(files.get('run.json')!) as Record<string, Record<string, unknown>>;
  runJson['scenario']!['name'] = `${HOSTILE}scenario`;
  runJson['scenario']!['file'] = `/tmp/${HOSTILE}.yaml`;
  runJson['topology']!['name'] = `${HOSTILE}topology`;
  (runJson as Record<string, unknown>)['sets'] = [`traffic.calls-per-hour=${HOSTILE}`];
  out.set('run.json', JSON.stringify(runJson));
  const timeline = parseCsv(files.get('timeline.csv')!, 'timeline.csv');
  out.set(
    'timeline.csv',
    csv(timeline.columns, [
      ...timeline.rows.map((r) => timeline.columns.map((c) => r[c]!)),
      ['0', '3600.000', `app-${HOSTILE}`, 'stopped', `cause ${HOSTILE}`],
      ['0', '3601.000', `app-${HOSTILE}`, 'starting', 'start'],
    ]),
  );
  const faults = parseCsv(files.get('faults.csv')!, 'faults.csv');
  out.set(
    'faults.csv',
    csv(
      faults.columns,
      faults.rows.map((r) => faults.columns.map((c) => (c === 'target' ? HOSTILE : r[c]!))),
    ),
  );
  return out;
}

describe('escaping', () => {
  test('esc makes every markup character text', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  test('JSON for a script element has no "<" and parses back to the same value', () => {
    const value = { name: HOSTILE, sep: 'a\u2028b\u2029c', html: '<!-- x -->' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  test('CSV read back: quoted commas, quotes and newlines survive', () => {
    const rows = [
      ['a,b', 'say "hi"', 'line\nbreak', ''],
      ['1', '2', '3', '4'],
    ];
    const t = parseCsv(csv(['w', 'x', 'y', 'z'], rows), 't.csv');
    expect(t.columns).toEqual(['w', 'x', 'y', 'z']);
    expect(t.rows.map((r) => [r['w'], r['x'], r['y'], r['z']])).toEqual(rows);
  });
});

describe('report.html', () => {
  let browser: Browser | undefined;
  const enabled = browserAvailable();
  let siteFailure = '';

  beforeAll(async () => {
    siteFailure = run('scenarios/site-failure.yaml', 'html-sf', '--html');
    if (enabled) browser = await launch();
  }, 120_000); // a full run and a browser start: more than the default 10 s on a busy machine
  afterAll(async () => {
    await browser?.close();
  });

  test('ccsim run --html writes one self-contained file with no external reference', () => {
    const html = readFileSync(join(siteFailure, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/\b(?:https?|ftp|wss?):\/\//i);
    // Markup outside the scripts (the what-if's loader sets a script's src to a blob: URL it
    // made itself; the browser test checks no request leaves the page).
    const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
    expect(markup).not.toMatch(/\b(?:src|href)\s*=\s*(?!["']?#)/i);
    expect(markup).not.toMatch(/<link\b|@import|url\(/i);
    expect(html).toContain('sip-a-1');
    // Deterministic: the same directory gives the same page.
    expect(reportHtml(dirFiles(siteFailure))).toBe(reportHtml(dirFiles(siteFailure)));
  });

  test('names from input are escaped in markup and in the embedded JSON', () => {
    const html = reportHtml(hostile(dirFiles(siteFailure)));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>scenario');
    expect(html).not.toContain('<b>topology');
    expect(html).toContain(
      '&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &quot;dq&quot; &lt;b&gt;scenario',
    );
    expect(html.match(/<script\b/g)).toHaveLength(2); // the data block and the page script
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="ccsim-data">([^<]*)<\/script>/.exec(html);
    expect(data).not.toBeNull();
    const parsed = JSON.parse(data![1]!) as { scenario: { name: string } };
    expect(parsed.scenario.name).toBe(`${HOSTILE}scenario`);
  });

  test.skipIf(!enabled)(
    'opens from disk in Chromium: charts drawn, no error, no request',
    async () => {
      const { page, errors, network, dialogs } = await openReport(
        browser!,
        join(siteFailure, 'report.html'),
      );
      const size = async (selector: string): Promise<{ n: number; w: number; h: number }> =>
        page.evaluate((sel) => {
          const els = [...document.querySelectorAll(sel)];
          const r = els[0]?.getBoundingClientRect();
          return { n: els.length, w: r?.width ?? 0, h: r?.height ?? 0 };
        }, selector);
      const gantt = await size('section.rep svg.gantt');
      expect(gantt.n).toBeGreaterThanOrEqual(2); // the whole run and at least one close-up
      expect(gantt.w).toBeGreaterThan(800);
      expect(gantt.h).toBeGreaterThan(300);
      const rows = await page.evaluate(
        () => [...document.querySelectorAll('svg.gantt')][0]!.querySelectorAll('g.row').length,
      );
      expect(rows).toBeGreaterThan(20);
      for (const c of [
        'sip-a-1',
        'sip-a-2',
        'a-sip-1',
        'lca:a-sip-1',
        'sip-a',
        'scs-b',
        'icon-a-1',
        'gateway:A',
      ]) {
        const seg = await page.evaluate((name) => {
          const row = [...document.querySelector('svg.gantt')!.querySelectorAll('g.row')].find(
            (g) => (g.getAttribute('data-component') ?? '').split(' ').includes(name),
          );
          const rect = row?.querySelector('rect.seg')?.getBoundingClientRect();
          return { found: row !== undefined, w: rect?.width ?? 0 };
        }, c);
        expect(seg.found, `timeline row for ${c}`).toBe(true);
        expect(seg.w, `segment width of ${c}`).toBeGreaterThan(0);
      }
      // The fault is marked and the site's SIP primary is down while it lasts.
      expect(
        await page.locator('svg.gantt').first().locator('line.fault-line').count(),
      ).toBeGreaterThan(0);
      const sipA1 = await page.evaluate(() =>
        [
          ...document
            .querySelector('svg.gantt')!
            .querySelectorAll('g.row[data-component="sip-a-1"] rect.seg'),
        ].map((r) => r.getAttribute('class')),
      );
      expect(sipA1).toEqual(['seg primary', 'seg bad', 'seg transit', 'seg backup', 'seg primary']);
      const desktops = await size('svg.gantt path.area');
      expect(desktops.n).toBeGreaterThanOrEqual(2); // sales on A, then on B
      const waterfalls = await size('svg.waterfall');
      expect(waterfalls.n).toBeGreaterThanOrEqual(5);
      expect(waterfalls.h).toBeGreaterThan(50);
      expect(await page.locator('.wfcard.failed').count()).toBeGreaterThan(0); // sip-a-2 went down with its site
      const agents = await size('svg.chart.agents');
      expect(agents.w).toBeGreaterThan(800);
      expect(await page.locator('svg.chart.agents path.line').count()).toBe(4); // logged in and ready, two sites
      const calls = await size('svg.chart.calls');
      expect(calls.h).toBeGreaterThan(100);
      expect(await page.locator('svg.chart.calls rect.bar.drp').count()).toBeGreaterThan(0);
      expect(await page.locator('table.data tbody tr').count()).toBe(4); // one per IDB
      expect(await page.title()).toBe('ccsim: site-failure on two-site-hot');
      mkdirSync(join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-output/report.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
      expect(dialogs).toEqual([]);
      await page.context().close();
    },
  );

  // The README picture: header, key figures and the whole-run timeline of the shipped scenario,
  // written to the default report directory so the page shows the plain command.
  test.runIf(enabled && process.env.UPDATE_SCREENSHOT === '1')(
    'refresh docs/site-failure-report.png',
    async () => {
      const r = ccsim(['run', 'scenarios/site-failure.yaml', '--html', '--quiet']);
      expect(r.code).toBe(0);
      const { page, errors, network } = await openReport(
        browser!,
        join(ROOT, 'reports/site-failure--two-site-hot/report.html'),
      );
      const bottom = await page.evaluate(() =>
        Math.ceil(
          document.querySelector('section.rep .timeline')!.getBoundingClientRect().bottom +
            window.scrollY +
            8,
        ),
      );
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      const file = join(ROOT, 'docs/site-failure-report.png');
      await page.screenshot({
        path: file,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1200, height: bottom },
      });
      expect(statSync(file).size).toBeLessThan(300_000);
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
      await page.context().close();
    },
  );

  test.skipIf(!enabled)('hostile names render as text and run nothing', async () => {
    const dir = join(tempDir('html-hostile'), 'r');
    mkdirSync(dir);
    for (const [name, text] of hostile(dirFiles(siteFailure))) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'report.html'), reportHtml(dirFiles(dir)));
    const { page, errors, network, dialogs } = await openReport(browser!, join(dir, 'report.html'));
    expect(await page.title()).toBe(`ccsim: ${HOSTILE}scenario on ${HOSTILE}topology`);
    expect(await page.locator('h1').textContent()).toContain(`${HOSTILE}scenario`);
    expect(await page.locator('script').count()).toBe(2);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(network).toEqual([]);
    await page.context().close();
  });

  test.skipIf(!enabled)(
    'several replications: a selector switches the time charts; a strip plot per metric',
    async () => {
      const dir = run('scenarios/host-loss-sip-primary.yaml', 'html-reps', '--replications', '3');
      const r = ccsim(['report', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('report.html');
      expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
      const { page, errors, network } = await openReport(browser!, join(dir, 'report.html'));
      const visible = async (): Promise<string[]> =>
        page.evaluate(() =>
          [...document.querySelectorAll('section.rep')]
            .filter((s) => !(s as HTMLElement).hidden)
            .map((s) => s.getAttribute('data-rep')!),
        );
      expect(await visible()).toEqual(['0']);
      await page.selectOption('#rep', '2');
      expect(await visible()).toEqual(['2']);
      // Replication 2 is drawn in the page once chosen (src/web/replications.ts).
      await page.waitForSelector('section.rep[data-rep="2"] svg.gantt');
      const ganttHeight = await page.evaluate(
        () =>
          document.querySelector('section.rep[data-rep="2"] svg.gantt')!.getBoundingClientRect()
            .height,
      );
      expect(ganttHeight).toBeGreaterThan(100);
      expect(await page.locator('#dist svg.strip').count()).toBeGreaterThanOrEqual(8);
      expect(await page.locator('#dist svg.strip circle.dot').count()).toBeGreaterThanOrEqual(
        3 * 4,
      );
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
      await page.context().close();
    },
  );

  test.skipIf(!enabled)(
    'replications past the first are drawn in the page when chosen, as they would have been when written',
    async () => {
      const dir = run('scenarios/host-loss-sip-primary.yaml', 'html-late', '--replications', '6');
      expect(ccsim(['report', dir]).code).toBe(0);
      const file = join(dir, 'report.html');
      const html = readFileSync(file, 'utf8');
      // Written with the first replication drawn, the others as placeholders and packed.
      expect(html.match(/<section class="rep"/g)).toHaveLength(6);
      expect(html.match(/data-late="1"/g)).toHaveLength(5);
      expect(html.match(/<script type="text\/plain" class="ccsim-rep"/g)).toHaveLength(5);
      // The same page with every replication drawn as it is written (no pack).
      const files = dirFiles(dir);
      const eagerFile = join(dir, 'eager.html');
      const eagerHtml = reportHtml(files, { ...runTopology(files), ...whatIfOfReportDir(files) });
      expect(eagerHtml).not.toMatch(/<section[^>]*data-late/);
      writeFileSync(eagerFile, eagerHtml);
      expect(statSync(file).size).toBeLessThan(statSync(eagerFile).size);
      const section = (p: Page, rep: string): Promise<string> =>
        p.evaluate((r) => document.querySelector(`section.rep[data-rep="${r}"]`)!.outerHTML, rep);
      // Opened at #rep=4: replication 4 is drawn at once; 3 once chosen; 0 stays as written.
      const late = await openReport(browser!, file, undefined, '#rep=4');
      const eager = await openReport(browser!, eagerFile, undefined, '#rep=4');
      await late.page.waitForSelector('section.rep[data-rep="4"] svg.gantt');
      expect(await section(late.page, '4')).toBe(await section(eager.page, '4'));
      for (const o of [late, eager]) await o.page.selectOption('#rep', '3');
      await late.page.waitForSelector('section.rep[data-rep="3"] svg.gantt');
      expect(await section(late.page, '3')).toBe(await section(eager.page, '3'));
      expect(await section(late.page, '0')).toBe(await section(eager.page, '0'));
      expect(await late.page.locator('section.rep[data-late]').count()).toBe(3);
      // A what-if re-run draws its own replications; "Back to the run" brings the report's
      // placeholders back, and the chosen one is drawn again.
      await late.page.locator('#whatif-run:not([disabled])').waitFor({ timeout: 30_000 });
      await late.page.getByRole('button', { name: 'Re-run' }).click();
      await late.page.locator('#whatif-summary').waitFor({ timeout: 60_000 });
      expect(await late.page.locator('section.rep[data-late]').count()).toBe(0);
      await late.page.getByRole('button', { name: 'Back to the run' }).click();
      await late.page.waitForSelector('section.rep[data-rep="3"] svg.gantt');
      expect(await section(late.page, '3')).toBe(await section(eager.page, '3'));
      // 1, 2 and 5 were never chosen (4 too, if the what-if started before it was drawn).
      expect(await late.page.locator('section.rep[data-late]').count()).toBeGreaterThanOrEqual(3);
      expect(await late.page.locator('section.rep[data-late]:not([hidden])').count()).toBe(0);
      for (const o of [late, eager]) {
        expect(o.errors).toEqual([]);
        expect(o.network).toEqual([]);
        await o.page.context().close();
      }
    },
  );

  test.skipIf(!enabled)(
    'without the topology file the page infers the components and says so',
    async () => {
      const dir = run('scenarios/host-loss-sip-primary.yaml', 'html-infer');
      const elsewhere = tempDir('html-cwd');
      const r = ccsim(['report', dir], elsewhere); // run.json's relative topology path does not resolve here
      expect(r.code).toBe(0);
      const { page, errors } = await openReport(browser!, join(dir, 'report.html'));
      expect(await page.locator('p.note', { hasText: 'not found' }).count()).toBe(1);
      expect(
        await page.locator('svg.gantt g.row[data-component="sip-a-1"] rect.seg').count(),
      ).toBeGreaterThan(0);
      expect(
        await page.locator('svg.gantt g.row[data-component="a-sip-1"]').count(),
      ).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  test.skipIf(!enabled)('compareHtml puts runs side by side', async () => {
    const a = run('scenarios/host-loss-sip-primary.yaml', 'cmp-a');
    const b = run('scenarios/process-crash-sip-primary.yaml', 'cmp-b');
    const file = join(tempDir('cmp'), 'compare.html');
    writeFileSync(
      file,
      compareHtml([
        { label: 'host loss', dir: a },
        { label: 'process crash <i>', dir: b },
      ]),
    );
    const { page, errors, network } = await openReport(browser!, file);
    expect(await page.locator('h1').textContent()).toBe(
      'ccsim comparison: host loss vs process crash <i>',
    );
    expect(await page.locator('h1 i').count()).toBe(0);
    const metricRow = page.locator('table.data tr', { hasText: 'switchover_max_s' });
    expect(await metricRow.locator('td').count()).toBe(4); // metric, run A, run B, delta
    expect(await metricRow.locator('td.better').count()).toBe(1); // a process crash switches over faster
    expect(await page.locator('.run svg.gantt').count()).toBe(2);
    expect(await page.locator('.runs svg.waterfall').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.run svg.chart.agents').count()).toBe(2);
    expect(await page.locator('.run svg.chart.calls').count()).toBe(2);
    const ganttWidth = await page.evaluate(
      () => document.querySelector('.run svg.gantt')!.getBoundingClientRect().width,
    );
    expect(ganttWidth).toBeGreaterThan(800);
    expect(errors).toEqual([]);
    expect(network).toEqual([]);
    await page.context().close();
  });
});

/** The first Gantt row of `component` in a page, as markup (undefined when absent). */
function ganttRow(html: string, component: string): string | undefined {
  const start = html.indexOf(`<g class="row" data-component="${component}" `);
  if (start < 0) return undefined;
  return html.slice(start, html.indexOf('</g>', start));
}

/** The marker titles (state: cause at time) of a Gantt row. */
function markerTitles(row: string): string[] {
  return [...row.matchAll(/<path class="mk"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]!);
}

describe('report.html: desktop business continuity in the timeline (seed 002, 003)', () => {
  test('login-waiting, csproxy-peer and statserver-peer are marks on the site’s desktop row, at their times', () => {
    // Site B's CS Proxy down when site A fails: the DR logins wait for it (login.nodes Timeout 15 s).
    const dr = reportHtml(dirFiles(run('scenarios/dr-peer-csproxy-down.yaml', 'html-dr')));
    const atB = markerTitles(ganttRow(dr, 'desktops@B') ?? '');
    const waits = atB.filter((t) =>
      t.startsWith('login-waiting: no CS Proxy answers; retry in 15 s at '),
    );
    expect(waits.length).toBeGreaterThan(10); // every 15 s from the switchover to csp-b's return
    // From the switchovers (about 0:11) until csp-b runs again (0:19:20), not after.
    const seconds = waits.map((t) => {
      const [h, m, sec] = t
        .slice(t.lastIndexOf(' at ') + 4)
        .split(':')
        .map(Number);
      return h! * 3600 + m! * 60 + sec!;
    });
    expect(Math.min(...seconds)).toBeGreaterThan(10 * 60);
    expect(Math.min(...seconds)).toBeLessThan(12 * 60);
    expect(Math.max(...seconds)).toBeGreaterThan(19 * 60);
    expect(Math.max(...seconds)).toBeLessThan(19 * 60 + 20);
    // Site A's desktops lost their Stat Servers with the site: their DR switchovers move every
    // connection, so no statserver-peer mark of their own.
    const atA = markerTitles(ganttRow(dr, 'desktops@A') ?? '');
    expect(atA.some((t) => t.startsWith('statserver-peer'))).toBe(false);
    // Site A's Stat Servers lost alone (20 min): its desktops use site B's after 60 s.
    const stat = reportHtml(dirFiles(run('scenarios/statserver-pair-lost.yaml', 'html-stat')));
    expect(markerTitles(ganttRow(stat, 'desktops@A') ?? '')).toContain(
      esc("statserver-peer: desktops of site A use site B's Stat Servers at 0:21:00.000"),
    );
    // Site A's CS Proxy lost for 10 minutes: its desktops use site B's proxy after 60 s.
    const cfg = reportHtml(dirFiles(run('scenarios/config-stat-loss.yaml', 'html-csp')));
    expect(markerTitles(ganttRow(cfg, 'desktops@A') ?? '')).toContain(
      esc("csproxy-peer: desktops of site A use site B's CS Proxies at 0:31:00.000"),
    );
    // They are marks, not a state that would seem to last to the end of the run.
    expect(ganttRow(dr, 'desktops@B')).not.toMatch(
      /<rect class="seg[^"]*"[^>]*><title>login-waiting/,
    );
  });
});

describe('report.html: desktops of each group at each site', () => {
  test('a graceful shutdown moves every sales desktop to B at once: the chart counts them all', () => {
    // All 120 sales desktops are logged out in the same instant and switch site: the timeline has
    // a dr-switchover row per desktop (one per group and instant before: the chart moved ~85).
    const html = reportHtml(dirFiles(run('scenarios/graceful-shutdown.yaml', 'html-gs')));
    expect(html).toContain(esc('sales @A: 120 → 0 desktops'));
    expect(html).toContain(esc('sales @B: 0 → 120 desktops'));
  });
});

/** Runs a one-off scenario on two-site-hot (its header lines and `faults:` lines); its report dir. */
function runOnHot(name: string, header: string[], faults: string[]): string {
  const dir = tempDir(`html-${name}`);
  const yaml = join(dir, `${name}.yaml`);
  writeFileSync(
    yaml,
    [
      `name: ${name}`,
      `topology: ${join(ROOT, 'scenarios/topologies/two-site-hot.yaml')}`,
      ...header,
      'faults:',
      ...faults.map((f) => `  - ${f}`),
      '',
    ].join('\n'),
  );
  const out = join(dir, 'r');
  const r = ccsim(['run', yaml, '--out', out, '--quiet']);
  expect(r.stderr).toBe('');
  return out;
}

/** Half an hour, nobody watching for hangs (heartbeat-period 0). */
const HUNG_BACKUP_HEADER = ['duration: 30m', 'seed: 7', 'options: { heartbeat-period: 0 }'];

describe('report.html: one-off host and LCA events are marks', () => {
  test('restore-waits (a host crash ended inside its site crash) keeps the host row down', () => {
    const out = runOnHot(
      'restore-waits',
      ['duration: 1h', 'seed: 1'],
      [
        '{ at: 10m, kind: host-crash, target: b-sip-1, duration: 2m }',
        '{ at: 11m, kind: site-crash, target: B, duration: 10m }',
      ],
    );
    const row = ganttRow(reportHtml(dirFiles(out)), 'b-sip-1') ?? '';
    expect(markerTitles(row).some((t) => t.startsWith('restore-waits: site-crash B at '))).toBe(
      true,
    );
    expect(row).not.toMatch(/<rect class="seg[^"]*"[^>]*><title>restore-waits/);
  });

  test('stale-order (a hung backup carrying out an order SCS gave up) is a mark', () => {
    const out = runOnHot('stale-order', HUNG_BACKUP_HEADER, [
      '{ at: 10m, kind: process-hang, target: sip-a-2, duration: 5m }',
      '{ at: 11m, kind: process-crash, target: sip-a-1 }',
    ]);
    const row = ganttRow(reportHtml(dirFiles(out)), 'sip-a-2') ?? '';
    expect(
      markerTitles(row).some((t) =>
        t.startsWith('stale-order: process-failure sip-a-1-&gt;sip-a-2: no answer within'),
      ),
    ).toBe(true);
    expect(row).not.toMatch(/<rect class="seg[^"]*"[^>]*><title>stale-order/);
  });

  test('a pair whose orders go unanswered stays drawn without a primary; drops and demotions are marks', () => {
    // sip-a-2 hung unseen, a-sip-1 lost: every order to sip-a-2 is dropped after 30 s and sent
    // again until the hang ends at 15:00 (before, each drop drew a grey 'other' segment).
    const out = runOnHot('order-dropped', HUNG_BACKUP_HEADER, [
      '{ at: 10m, kind: process-hang, target: sip-a-2, duration: 5m }',
      '{ at: 11m, kind: host-crash, target: a-sip-1 }',
    ]);
    const row = ganttRow(reportHtml(dirFiles(out)), 'sip-a') ?? '';
    const segs = [...row.matchAll(/<rect class="seg ([^"]*)"[^>]*><title>([^<]*)<\/title>/g)].map(
      (m) => `${m[1]} ${m[2]!.slice(0, m[2]!.indexOf(' ('))}`,
    );
    expect(segs).toEqual([
      'ok sip-a: in-service, 0:00:00 – 0:11:00',
      'bad sip-a: no-primary, 0:11:00 – 0:15:01',
      'ok sip-a: in-service, 0:15:01 – 0:30:00',
    ]);
    expect(markerTitles(row).filter((t) => t.startsWith('order-dropped: ')).length).toBe(7);
  });
});

describe('report.html: switchover waterfalls', () => {
  test('a recovery says so, and its wait is for a member to run again, not an order', () => {
    // Site A down 32 minutes: sip-a's recovery to sip-a-1 is ordered once A's hosts are back.
    const html = reportHtml(dirFiles(run('scenarios/site-failure.yaml', 'html-recovery')));
    expect(html).toContain(esc('sip-a (hot): sip-a-2 → sip-a-1, recovery'));
    expect(html).toContain(esc('sip-a (hot): sip-a-1 → sip-a-2, host-failure'));
    expect(html).toMatch(
      /critical path: detection 15\.5 s → wait for a member 32 min 05 s → promotion 0\.530 s/,
    );
    expect(html).not.toMatch(/→ order 32 min/);
  });
});

describe('report.html: the carrier, gateway and network rows are coloured by their state', () => {
  test('gateways down and a trunk marked down are drawn bad, back up ok; a degraded WAN bad, restored ok', () => {
    const segsOf = (html: string, component: string) =>
      [
        ...(ganttRow(html, component) ?? '').matchAll(
          /<rect class="seg ([^"]*)"[^>]*><title>[^:<]*:[^:<]*: ([^,<]*),/g,
        ),
      ].map((m) => `${m[1]} ${m[2]}`);
    const gw = reportHtml(dirFiles(run('scenarios/gateway-down.yaml', 'html-gw')));
    expect(segsOf(gw, 'gateway:A')).toContain('bad gateways-down');
    expect(segsOf(gw, 'gateway:A')).toContain('ok gateways-up');
    expect(segsOf(gw, 'carrier:A')).toContain('bad trunk-marked-down');
    expect(segsOf(gw, 'carrier:A')).toContain('ok trunk-marked-up');
    const wan = reportHtml(dirFiles(run('scenarios/wan-degrade-latency.yaml', 'html-wan')));
    const net = [
      ...(ganttRow(wan, 'network') ?? '').matchAll(
        /<rect class="seg ([^"]*)"[^>]*><title>network: ([^,<]*),/g,
      ),
    ].map((m) => `${m[1]} ${m[2]}`);
    expect(net).toContain('bad wan-degraded');
    expect(net).toContain('ok wan-restored');
  });
});

describe('ccsim report', () => {
  test('exits 2 with a clear message when the directory is not a report directory', () => {
    const empty = tempDir('not-report');
    const r = ccsim(['report', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${empty}: not a report directory`);
    expect(r.stderr).toContain('summary.csv');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(empty, 'report.html'))).toBe(false);
    const missing = ccsim(['report', join(empty, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not a report directory');
  });

  test('a damaged CSV is an input error, not a crash, and leaves no page behind', () => {
    const dir = run('scenarios/process-crash-sip-primary.yaml', 'damaged');
    writeFileSync(
      join(dir, 'timeline.csv'),
      'replication,t_s,component,state,cause\n0,abc,x,y,z\n',
    );
    const r = ccsim(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/timeline\.csv: column t_s expects a number/);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  test('rewrites report.html in place, atomically', () => {
    const dir = run('scenarios/process-crash-sip-primary.yaml', 'rewrite', '--html');
    const first = readFileSync(join(dir, 'report.html'), 'utf8');
    copyFileSync(join(dir, 'report.html'), join(dir, 'old.html'));
    expect(ccsim(['report', dir, '--quiet']).code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(first);
    expect(statSync(join(dir, 'report.html')).size).toBeGreaterThan(10_000);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
