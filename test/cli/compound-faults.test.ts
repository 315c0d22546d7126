// The management layer under compound faults (DOMAIN §12), as an architect checks it: each
// shipped scenario below states its outcome in `expect:` and `ccsim check` must pass on it.
// Budget: one replication each, about 30 s in all on one core.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccsim, tempDir } from './helpers.js';

const SCENARIOS = [
  'partition-heal-crash', // an order from the partition never blocks the crash after the heal
  'service-unavailable-backup-first', // both unavailable; the backup recovers first: one switchover
  'service-unavailable-primary-first', // ... the primary recovers first: nothing
  'switch-link-down', // both unavailable: no switchover, no demotion
  'confserv-host-loss', // the Config Server guard is its own ADDP view
  'confserv-no-database', // refused without its database, ordered again when it is back
  'graceful-shutdown-twice', // each drain is its own episode: the first cap never cuts the second
  'hang-manual-switchover', // the demotion a hung process could not read is read when it answers
  'scs-both-lost', // both SCS back as backup: the configured primary takes the role
  'order-to-hung-backup', // an order given up stays failed when the hung target reads it late
];

describe('compound faults: ccsim check on the shipped scenarios', () => {
  test('every expectation holds', { timeout: 180_000 }, () => {
    const r = ccsim(['check', ...SCENARIOS.map((s) => `scenarios/${s}.yaml`), '--workers', '1']);
    expect(r.stdout).toContain(`check: ${SCENARIOS.length} run(s):`);
    expect(r.stdout).not.toContain('FAIL');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe('compound faults found by explore', () => {
  test('an SCS that completes its promotion with the SCS link open again steps down: one primary SCS', () => {
    const out = join(tempDir('scs-in-touch'), 'r');
    const r = ccsim(['run', 'test/fixtures/scs-promoted-in-touch.yaml', '--out', out, '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0); // its expect: lines hold
    // The mechanism ran (not a change of the loss draws that left the SCS alone).
    expect(readFileSync(join(out, 'timeline.csv'), 'utf8')).toMatch(
      /,scs-b,backup,scs-conflict-resolved/,
    );
  });
});
