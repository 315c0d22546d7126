// Expectation evaluation (SPEC §4): a bare metric holds in every replication; AGG across them;
// the worst replication is the one to replay.
import { describe, expect, test } from 'vitest';
import { parseExpectation } from '../../src/scenario/expect.js';
import { describeResult, evaluate } from '../../src/report/expectations.js';
import { junitXml, xmlEscape } from '../../src/report/junit.js';

function exp(text: string) {
  const p = parseExpectation(text);
  if (!p.ok) throw new Error(p.message);
  return p.value;
}

const obs = [3, 12, 7, 25, 9].map((value, replication) => ({ replication, value }));

describe('evaluate', () => {
  test('a bare metric fails when one replication breaks the bound; the worst one is named', () => {
    const r = evaluate(exp('switchover_max_s <= 20'), obs);
    expect(r.pass).toBe(false);
    expect(r.worst).toEqual({ replication: 3, value: 25 });
    expect(r.failing).toBe(1);
    expect(r.ci95![0]).toBeLessThan(r.mean);
    expect(describeResult(r)).toMatch(
      /observed switchover_max_s 25\.000 s in replication 3 \(worst of 5; 1 of 5 fail\); bound <= 20\.000 s; mean 11\.200 s, 95% interval \[/,
    );
  });

  test('aggregates hold across replications', () => {
    expect(evaluate(exp('mean(switchover_max_s) <= 20'), obs).pass).toBe(true);
    expect(evaluate(exp('max(switchover_max_s) <= 20'), obs).pass).toBe(false);
    expect(evaluate(exp('p50(switchover_max_s) == 9'), obs).observed).toBe(9);
    expect(evaluate(exp('min(switchover_max_s) >= 3s'), obs).pass).toBe(true);
  });

  test('a lower bound names the smallest value as worst', () => {
    const r = evaluate(exp('calls_answered > 5'), obs);
    expect(r.worst.replication).toBe(0);
    expect(r.pass).toBe(false);
  });

  test('one replication: no interval', () => {
    expect(
      evaluate(exp('calls_dropped == 0'), [{ replication: 0, value: 0 }]).ci95,
    ).toBeUndefined();
  });
});

describe('JUnit XML', () => {
  test('escapes markup and drops characters XML forbids', () => {
    expect(xmlEscape('a < b && "c" \'d\' \u0001>')).toBe(
      'a &lt; b &amp;&amp; &quot;c&quot; &apos;d&apos; &gt;',
    );
  });

  test('counts tests, failures and errors per suite and overall', () => {
    const xml = junitXml('ccsim check', [
      {
        name: 's on t',
        timeS: 1.5,
        properties: { seed: '7' },
        cases: [
          { name: 'x < 1', classname: 'c' },
          {
            name: 'y == 0',
            classname: 'c',
            failure: {
              message: 'y == 0: observed 2',
              type: 'expectation',
              details: 'replay: ccsim run s.yaml',
            },
          },
        ],
      },
    ]);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="ccsim check" tests="2" failures="1" errors="0" time="1.500">/,
    );
    expect(xml).toContain('<testcase name="x &lt; 1" classname="c" time="0.000"/>');
    expect(xml).toContain(
      '<failure message="y == 0: observed 2" type="expectation">replay: ccsim run s.yaml</failure>',
    );
  });
});
