// The what-if of report.html (SPEC §5.5), in headless Chromium with the network refused: change
// an option or a pair's redundancy, press Re-run, and every mean in #whatif-summary is the one
// `ccsim run <scenario> --set K=V` writes to stats.csv, digit for digit; the timeline is redrawn
// from the re-run; a bad value gets the CLI's own message. Budget: about 60 s on 2 busy cores
// (four CLI runs of site-failure and four re-runs in the page).
// UPDATE_SCREENSHOT=1 also refreshes docs/whatif.png (the README's picture).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ccsim, ROOT, tempDir } from '../cli/helpers.js';
import { parseCsv } from '../../src/report/html/csv-parse.js';
import { scenarioEnum, WHATIF_OPTIONS } from '../../src/report/html/whatif.js';
import { keysOf, ScenarioFileSchema } from '../../src/scenario/schema.js';
import { OPTIONS_BY_NAME } from '../../src/models/options.js';
import { browserAvailable, launch, openReport, type OpenedPage } from './browser.js';

const SCENARIO = 'scenarios/site-failure.yaml';
/** Page size budget (README): the report plus the packed simulator. */
const PAGE_BYTES_MAX = 600_000;
/** A re-run of site-failure in the page ("a few seconds"; generous for a loaded CI machine). */
const RERUN_MS_MAX = 20_000;

/** `ccsim run` into a fresh directory; returns it. */
function run(label: string, ...args: string[]): string {
  const out = join(tempDir(label), 'r');
  const r = ccsim(['run', SCENARIO, '--out', out, '--quiet', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return out;
}

/** stats.csv: metric → mean, as written. */
function means(dir: string): Record<string, string> {
  const t = parseCsv(readFileSync(join(dir, 'stats.csv'), 'utf8'), 'stats.csv');
  return Object.fromEntries(t.rows.map((r) => [r['metric']!, r['mean']!]));
}

async function ready(page: Page): Promise<void> {
  await page.locator('#whatif-run:not([disabled])').waitFor({ timeout: 30_000 });
}

/** Presses Re-run and waits for the summary; returns metric → data-value and the time taken. */
async function rerun(page: Page): Promise<{ values: Record<string, string>; ms: number }> {
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Re-run' }).click();
  await page.locator('#whatif-summary').waitFor({ timeout: 60_000 });
  const ms = Date.now() - t0;
  const values = await page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('#whatif-summary tr[data-metric]')].map((r) => [
        r.dataset['metric']!,
        r.dataset['value']!,
      ]),
    ),
  );
  return { values, ms };
}

/** The first replication's whole-run timeline: each row's bars (class, geometry) and desktop areas. */
async function bars(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const svg = document.querySelector('section.rep svg.gantt');
    return svg === null
      ? []
      : [...svg.querySelectorAll('g.row')].map(
          (g) =>
            `${g.getAttribute('data-component')}: ${[...g.querySelectorAll('rect.seg, path.area')].map((r) => `${r.getAttribute('class')} ${r.getAttribute('x')} ${r.getAttribute('width')} ${r.getAttribute('d')}`).join(', ')}`,
        );
  });
}

describe('report.html what-if', () => {
  const enabled = browserAvailable();
  let browser: Browser | undefined;
  let report = '';
  let opened: OpenedPage | undefined;

  beforeAll(async () => {
    report = run('whatif-sf', '--html');
    if (enabled) {
      browser = await launch();
      opened = await openReport(browser, join(report, 'report.html'));
      await ready(opened.page);
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('the page carries a form of the options that matter, named by their --set keys, and stays in its budget', () => {
    const html = readFileSync(join(report, 'report.html'), 'utf8');
    for (const name of WHATIF_OPTIONS.filter((n) => OPTIONS_BY_NAME.has(n)))
      expect(html).toContain(`name="${name}"`);
    for (const pair of ['scs', 'cs', 'sip-a', 'sip-b', 'ts-a', 'stat-a', 'stat-b'])
      expect(html).toContain(`name="pairs.${pair}.redundancy"`);
    // routing.policy is a scenario key: listed, as a select of its policies, once the schema has it.
    const policies = scenarioEnum(['routing', 'policy']);
    expect(policies !== undefined).toBe(keysOf(ScenarioFileSchema).includes('routing'));
    if (policies !== undefined) {
      expect(html).toContain('<select name="routing.policy"');
      for (const p of policies)
        expect(html).toContain(`<option${p === 'local-only' ? ' selected' : ''}>${p}</option>`);
    }
    expect(html).toMatch(/<button[^>]*>Re-run<\/button>/);
    expect(statSync(join(report, 'report.html')).size).toBeLessThan(PAGE_BYTES_MAX);
  });

  test.skipIf(!enabled)(
    'disaster-recovery.timeout: the re-run equals ccsim run --set, digit for digit, and the timeline is redrawn',
    async () => {
      const { page, errors, network } = opened!;
      const before = await bars(page);
      await page.fill('input[name="disaster-recovery.timeout"]', '5m');
      const { values, ms } = await rerun(page);
      const cli = run('whatif-dr', '--set', 'disaster-recovery.timeout=5m', '--html');
      expect(values).toEqual(means(cli));
      expect(Object.keys(values).length).toBeGreaterThan(20);
      expect(means(cli)).not.toEqual(means(report)); // the option matters here: the test can fail
      expect(ms).toBeLessThan(RERUN_MS_MAX);
      // The timeline drawn in the page is the one the CLI's own report of that run draws.
      const after = await bars(page);
      expect(after).not.toEqual(before);
      const cliPage = await openReport(browser!, join(cli, 'report.html'));
      expect(after).toEqual(await bars(cliPage.page));
      await cliPage.page.context().close();
      expect(await page.locator('#whatif-command').textContent()).toContain(
        `ccsim run ${SCENARIO} --set disaster-recovery.timeout=5m`,
      );
      expect(await page.locator('#whatif-summary tr.changed').count()).toBeGreaterThan(0);
      if (process.env.UPDATE_SCREENSHOT === '1') {
        mkdirSync(join(ROOT, 'docs'), { recursive: true });
        const box = (await page.locator('#whatif').boundingBox())!;
        const file = join(ROOT, 'docs/whatif.png');
        await page.screenshot({
          path: file,
          fullPage: true,
          clip: { x: 0, y: box.y - 8, width: 1200, height: Math.min(box.height + 16, 1100) },
        });
        expect(statSync(file).size).toBeLessThan(300_000);
      }
      // Back to the run: the report's own timeline again.
      await page.getByRole('button', { name: 'Back to the run' }).click();
      expect(await bars(page)).toEqual(before);
      expect(await page.locator('#whatif-summary').count()).toBe(0);
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
    },
  );

  test.skipIf(!enabled)(
    "a pair's redundancy: the re-run equals ccsim run --set pairs.<pair>.redundancy",
    async () => {
      const { page, errors, network } = opened!;
      await page.selectOption('select[name="pairs.sip-a.redundancy"]', 'warm');
      const { values } = await rerun(page);
      const cli = run('whatif-red', '--set', 'pairs.sip-a.redundancy=warm');
      expect(values).toEqual(means(cli));
      expect(means(cli)).not.toEqual(means(report));
      await page.getByRole('button', { name: 'Back to the run' }).click();
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
    },
  );

  test.skipIf(!enabled)(
    'routing.policy (a scenario key): the re-run equals ccsim run --set routing.policy',
    async () => {
      const { page, errors, network } = opened!;
      if (scenarioEnum(['routing', 'policy']) === undefined) return; // the schema has no routing yet
      await page.selectOption('select[name="routing.policy"]', 'pooled');
      const { values } = await rerun(page);
      const cli = run('whatif-routing', '--set', 'routing.policy=pooled');
      expect(values).toEqual(means(cli));
      // site-failure's topology has no routing (URS) pair: every site takes its default route
      // whatever the policy, so the outcome equals the report's (the CLI agrees digit for digit).
      expect(means(cli)).toEqual(means(report));
      await page.getByRole('button', { name: 'Back to the run' }).click();
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
    },
  );

  test.skipIf(!enabled)(
    'a bad value gets the message ccsim run prints, and nothing runs',
    async () => {
      const { page, errors, network } = opened!;
      await page.fill('input[name="addp-timeout"]', '9 parsecs');
      await page.getByRole('button', { name: 'Re-run' }).click();
      const shown = (await page.locator('#whatif-errors').textContent()) ?? '';
      const cli = ccsim([
        'run',
        SCENARIO,
        '--quiet',
        '--out',
        join(tempDir('whatif-bad'), 'r'),
        '--set',
        'addp-timeout=9 parsecs',
      ]);
      expect(cli.code).toBe(2);
      expect(shown).not.toBe('');
      expect(shown).toBe(cli.stderr.trim());
      expect(await page.locator('#whatif-summary').count()).toBe(0);
      await page.getByRole('button', { name: 'Back to the run' }).click();
      expect(await page.locator('#whatif-errors').textContent()).toBe('');
      expect(errors).toEqual([]);
      expect(network).toEqual([]);
    },
  );
});
