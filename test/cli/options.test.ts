// `ccsim options <file> --group/--person`: the value each option takes and the level it comes
// from, as an architect reads it. Budget: under a second (no run).
import { describe, expect, test } from 'vitest';
import { ccsim } from './helpers.js';

describe('ccsim options', () => {
  test('with a topology and a group: each option, its value and the level that set it', () => {
    const r = ccsim(['options', 'test/fixtures/topo-small.yaml', '--group', 'support']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Options of test/fixtures/topo-small.yaml for agent group support:');
    expect(r.stdout).toContain('| `disaster-recovery.timeout` | 30s | agent group support |');
    expect(r.stdout).toContain('| `disaster-recovery.enabled` | true | topology |');
    expect(r.stdout).toContain('| `sipendpoint.reg_timeout` | 1h | default |');
  });

  test('an unknown person is an input error (exit 2) with the names ccsim uses', () => {
    const r = ccsim(['options', 'test/fixtures/topo-small.yaml', '--person', 'sales-11']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--person: unknown person "sales-11" (expected an agent of group "sales": sales-01 … sales-10)',
    );
  });
});
