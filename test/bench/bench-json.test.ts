// `npm run bench -- --json` prints issue 21's figures with their targets beside them. Here only
// the shape is checked, on the benchmark's tiny configuration (--tiny: two hours of a small center instead of bench-day, two
// days of availability-year, two explore schedules): no figure is asserted, timings never are.
// Budget: ~18 s (about a dozen short CLI processes).

import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

describe('bench --json', () => {
  test('prints day_per_call_vs_mmc, workers2_vs_ceiling, the year peak memory and explore rate, each with target and verdict', () => {
    const out = execFileSync(
      process.execPath,
      [
        'dist/bench/run.js',
        '--json',
        '--tiny',
        '--reps',
        '1',
        '--only',
        'mmc,percall,workers,memory,explore,apart',
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.bench)).toEqual([
      'mmc',
      'percall',
      'workers',
      'memory',
      'explore',
      'apart',
      'ratios',
    ]);
    const ratios = lines[lines.length - 1]!;
    expect(ratios.tiny).toBe(true);
    const targets: [string, string][] = [
      ['day_per_call_vs_mmc', '<= 6'],
      ['workers2_vs_ceiling', '>= 0.95'],
      ['year_peak_rss_mb_one_replication', '<= 300'],
      ['year_peak_rss_mb_5_replications_workers2', '<= 600'],
      ['year_report_html_cpu_s', '<= 10'],
      ['year_report_html_mb', '<= 5'],
      ['explore_schedules_per_s', '>= 20'],
    ];
    for (const [name, target] of targets) {
      expect(typeof ratios[name], name).toBe('number');
      expect(Number(ratios[name]), name).toBeGreaterThan(0);
      expect(ratios[`${name}_target`], name).toBe(target);
      expect(typeof ratios[`${name}_met`], name).toBe('boolean');
    }
    // The per-call figure is the median of the pairs' ratios (a bench-day replication and M/M/c
    // runs right after it, in one process), between their quartiles; the ratio of the summed
    // costs is given beside it.
    const percall = lines[1]!;
    const n = (k: string) => Number(percall[k]);
    expect(n('pairs')).toBe(n('replications'));
    expect(n('day_per_call_vs_mmc_q1')).toBeGreaterThan(0);
    expect(n('day_per_call_vs_mmc')).toBeGreaterThanOrEqual(n('day_per_call_vs_mmc_q1'));
    expect(n('day_per_call_vs_mmc_q3')).toBeGreaterThanOrEqual(n('day_per_call_vs_mmc'));
    expect(n('day_per_call_vs_mmc_of_sums')).toBeCloseTo(
      n('day_us_per_call') / n('mmc_us_per_call'),
      9,
    );
    // Steady state: measured after warm-up replications, whose own figure is reported apart.
    expect(Number(percall.warmup_replications)).toBeGreaterThanOrEqual(1);
    expect(Number(percall.warmup_day_per_call_vs_mmc)).toBeGreaterThan(0);
    expect(Number(percall.warmup_day_us_per_call)).toBeGreaterThan(0);
    // The same ratio with each model in processes of its own: informational, no target, and
    // the median of its pairs' ratios (one pair in the tiny configuration: that pair's ratio).
    const apart = lines[5]!;
    expect(Number(apart.pairs)).toBe(1);
    expect(Number(apart.day_per_call_vs_mmc_apart)).toBeCloseTo(
      Number(apart.day_us_per_call) / Number(apart.mmc_us_per_call),
      9,
    );
    expect(ratios.day_per_call_vs_mmc_apart).toBe(apart.day_per_call_vs_mmc_apart);
    expect(ratios.day_per_call_vs_mmc_apart_target).toBeUndefined();
    // Memory comes from the operating system's accounting of each whole process.
    const memory = lines[3]!;
    expect(Number(memory.year_rss_mb_one_replication)).toBeGreaterThan(20);
    // And how it grows with the replications: one run at each of two counts (a tiny run's
    // difference is noise, of either sign: only its arithmetic and target are checked here).
    const m = (k: string) => Number(memory[k]);
    expect(m('replications_high')).toBeGreaterThan(m('replications_low'));
    expect(m('replications_rss_mb_low')).toBeGreaterThan(20);
    expect(m('rss_kb_per_replication')).toBeCloseTo(
      ((m('replications_rss_mb_high') - m('replications_rss_mb_low')) * 1024) /
        (m('replications_high') - m('replications_low')),
      9,
    );
    expect(ratios.rss_kb_per_replication).toBe(memory.rss_kb_per_replication);
    expect(ratios.rss_kb_per_replication_target).toBe('<= 100');
    // The same as one shard, and its merge.
    expect(m('shard_rss_mb_low')).toBeGreaterThan(20);
    expect(m('rss_kb_per_replication_shard')).toBeCloseTo(
      ((m('shard_rss_mb_high') - m('shard_rss_mb_low')) * 1024) /
        (m('replications_high') - m('replications_low')),
      9,
    );
    expect(m('merge_rss_mb_high')).toBeGreaterThan(20);
    expect(ratios.rss_kb_per_replication_shard).toBe(memory.rss_kb_per_replication_shard);
    expect(ratios.rss_kb_per_replication_shard_target).toBe('<= 100');
  });
});
