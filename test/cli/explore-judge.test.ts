// How explore reads an `expect:` line against drawn faults (src/cli/explore-judge.ts): lines that
// assert the harm of the scenario's own faults are not judged; a break that a drawn fault's
// mechanism explains is expected by that fault, not counted; any other break is a violation, and
// the liveness invariants are never explained away. Budget: pure functions, < 50 ms.
import { describe, expect, test } from 'vitest';
import { parseExpectation } from '../../src/scenario/expect.js';
import { SUMMARY_METRIC_COLUMNS } from '../../src/scenario/columns.js';
import { FAULT_KINDS } from '../../src/spec/kinds.js';
import type { Expectation, FaultSpec } from '../../src/spec/types.js';
import {
  assertsHarm,
  CONVERGENCE,
  explainedBy,
  mechanismOf,
  MOVED_BY,
} from '../../src/cli/explore-judge.js';
import { handTopology } from '../models/hand-spec.js';
import { Options } from '../../src/models/options.js';

/** A drawn fault at 0 (only its kind and target matter to the judge). */
function fault(kind: string, target: string): FaultSpec {
  return { id: 'f0', index: 0, atMs: 0, kind, target } as unknown as FaultSpec;
}

function line(text: string): Expectation {
  const p = parseExpectation(text);
  if (!p.ok) throw new Error(`${text}: ${p.message}`);
  return p.value;
}

describe('explore: which lines are judged', () => {
  test.each([
    ['switchovers > 0', true], // the scenario's fault switches: says nothing of other faults
    ['split_brain_s > 0', true],
    ['service_level < 0.8', true],
    ['dr_switchovers == 120', true],
    ['calls_overflowed >= 1', true],
    ['switchover_max_s < 3', false], // a bound every schedule must respect
    ['calls_dropped == 0', false],
    ['switchovers == 0', false],
    ['service_level >= 0.8', false],
    ['p95(agent_outage_max_s) < 90', false],
    ['unconverged_pairs == 0', false],
  ])('%s asserts harm: %s', (text, harm) => {
    expect(assertsHarm(line(text))).toBe(harm);
  });
});

describe('explore: a break expected by the drawn fault', () => {
  test('recovery_max_s < 32s (written for a restart) cannot hold when a site crash stops both members: boot and start', () => {
    // explore on order-to-hung-backup: a 2-second site crash of B left sip-b and stat-b without a
    // member until their hosts booted and started them, 142.7 s (a recovery, as designed).
    const e = line('recovery_max_s < 32s');
    expect(explainedBy(e, ['site-crash'])?.why).toMatch(/come back with their site/);
    expect(explainedBy(e, ['host-crash'])).toBeDefined();
    expect(explainedBy(e, ['idb-down', 'gateway-down'])).toBeUndefined();
  });

  test('switchover_max_s < 3 (written for a process crash) cannot hold for a host crash: ADDP', () => {
    const e = line('switchover_max_s < 3');
    expect(explainedBy(e, ['host-crash'])?.kind).toBe('host-crash');
    expect(explainedBy(e, ['host-crash'])?.why).toMatch(/ADDP/);
    expect(explainedBy(e, ['process-crash', 'lca-crash'])?.kind).toBe('lca-crash');
    expect(explainedBy(e, ['process-hang'])?.why).toMatch(/heartbeat-period/);
    expect(explainedBy(e, ['wan-degrade'])?.kind).toBe('wan-degrade');
  });

  test('a service gap past its bound: a degraded WAN explains it (the orders cross it), a drain alone does not', () => {
    // Found by explore (partition-heal-crash, seed 917): a graceful shutdown ends while the WAN
    // has 1 s of latency; the exit's report and the promotion order cross it, a 3.6 s gap.
    const e = line('service_gap_max_s < 2');
    expect(explainedBy(e, ['graceful-shutdown', 'wan-degrade'])?.kind).toBe('wan-degrade');
    expect(explainedBy(e, ['graceful-shutdown'])).toBeUndefined();
    expect(explainedBy(e, ['process-crash', 'manual-switchover'])).toBeUndefined();
  });

  test('faults whose switchover is fast by design do not explain a slow one: a violation', () => {
    const e = line('switchover_max_s < 3');
    expect(explainedBy(e, ['process-crash'])).toBeUndefined();
    expect(explainedBy(e, ['manual-switchover', 'graceful-shutdown'])).toBeUndefined();
    expect(explainedBy(e, ['idb-down', 'phone-unregister', 'gateway-down'])).toBeUndefined();
  });

  test('calls dropped under a host crash of a hot pair are a violation; under a site crash, expected', () => {
    const e = line('calls_dropped == 0');
    expect(explainedBy(e, ['host-crash', 'manual-switchover'])).toBeUndefined();
    expect(explainedBy(e, ['site-crash'])?.kind).toBe('site-crash');
  });

  test('calls dropped by a switchover: expected when it reaches a warm pair, a violation under a hot one', () => {
    // The hand topology: sip-a and sip-b hot (or warm), ts-a warm; ts-a-1 and sip-a-1 share a-sip-1.
    const e = line('calls_dropped == 0');
    const hot = handTopology('hot');
    const warm = handTopology('warm');
    const explains = (f: FaultSpec, t = hot) => explainedBy(e, [f], t)?.kind;
    expect(explains(fault('manual-switchover', 'ts-a'))).toBe('manual-switchover');
    expect(explainedBy(e, [fault('manual-switchover', 'ts-a')], hot)?.why).toMatch(/warm-standby/);
    expect(explains(fault('manual-switchover', 'sip-a'))).toBeUndefined();
    expect(explains(fault('manual-switchover', 'sip-a'), warm)).toBe('manual-switchover');
    expect(explains(fault('process-crash', 'sip-b-1'))).toBeUndefined();
    expect(explains(fault('process-crash', 'sip-b-1'), warm)).toBe('process-crash');
    expect(explains(fault('host-crash', 'a-sip-1'))).toBe('host-crash'); // ts-a-1 runs there
    expect(explains(fault('host-crash', 'b-sip-1'))).toBeUndefined(); // hot sip-b, stat-b only
    expect(explains(fault('host-crash', 'a-mgmt'))).toBeUndefined();
    expect(explains(fault('idb-down', 'icon-a-1'))).toBeUndefined();
    // A warm switchover degrades the established calls too; its mechanism is printed with it.
    expect(
      explainedBy(line('calls_degraded == 0'), [fault('process-crash', 'ts-a-1')], hot)?.kind,
    ).toBe('process-crash');
    expect(mechanismOf('calls_dropped', 'manual-switchover')).toMatch(/drops the queued/);
    // Conversations: a site's loss cuts them; a warm switchover keeps them (degraded).
    const talking = line('calls_dropped_answered == 0');
    expect(explainedBy(talking, [fault('site-crash', 'A')], hot)?.kind).toBe('site-crash');
    expect(explainedBy(talking, [fault('process-crash', 'ts-a-1')], hot)).toBeUndefined();
    expect(explainedBy(talking, [fault('host-crash', 'a-sip-1')], hot)).toBeUndefined();
    // A cut between the sites cuts the calls that cross it (explore found it after a graceful
    // shutdown had moved site A's agents onto site B's servers).
    const cut = explainedBy(talking, [fault('network-partition', 'A|B')], hot);
    expect(cut?.why).toMatch(/crossing the cut/);
    expect(
      explainedBy(line('calls_dropped == 0'), [fault('network-partition', 'A|B')], hot)?.kind,
    ).toBe('network-partition');
    // Under hot standby a switchover degrades the calls changed within ha-sync-lag: expected.
    expect(
      explainedBy(line('calls_degraded == 0'), [fault('manual-switchover', 'sip-a')], hot)?.why,
    ).toMatch(/ha-sync-lag/);
  });

  test('logins slower with a CS Proxy down: expected when the fault stops one, not otherwise', () => {
    const t = handTopology('hot');
    const e = line('desktop_login_max_s <= 26s');
    expect(explainedBy(e, [fault('process-crash', 'csp-a')], t)?.why).toMatch(/CS Proxy fewer/);
    expect(explainedBy(e, [fault('host-crash', 'a-mgmt')], t)?.kind).toBe('host-crash');
    expect(explainedBy(e, [fault('process-crash', 'stat-a-1')], t)).toBeUndefined();
    // A return to the preferred site is a login there, through its CS Proxy (explore found the
    // return 30 ms past a bound of one reg_timeout with a-mgmt, csp-a's host, crashed).
    const back = line('return_to_preferred_max_s <= 75s');
    expect(explainedBy(back, [fault('host-crash', 'a-mgmt')], t)?.why).toMatch(/CS Proxy fewer/);
    expect(explainedBy(back, [fault('process-crash', 'stat-a-1')], t)).toBeUndefined();
  });

  test('agents kept from calls by a lost phone registration: outage and DR moves expected', () => {
    expect(explainedBy(line('agent_outage_max_s < 30'), ['phone-unregister'])?.kind).toBe(
      'phone-unregister',
    );
    expect(explainedBy(line('dr_switchovers == 0'), ['phone-unregister'])?.why).toMatch(
      /wait-for-sipphone-timeout/,
    );
    // A hang or crash stops agents when it hits their telephony server, not the SCS's.
    const t = handTopology('hot');
    const outage = line('agent_outage_max_s < 30');
    expect(explainedBy(outage, [fault('process-hang', 'sip-a-1')], t)?.why).toMatch(/heartbeat/);
    expect(explainedBy(outage, [fault('process-hang', 'scs-a')], t)).toBeUndefined();
    expect(explainedBy(outage, [fault('host-crash', 'a-mgmt')], t)).toBeUndefined();
    const dr = line('dr_switchovers == 0');
    expect(explainedBy(dr, [fault('process-hang', 'sip-b-1')], t)?.kind).toBe('process-hang');
    expect(
      explainedBy(dr, [fault('process-hang', 'scs-a'), fault('host-crash', 'b-sip-1')], t),
    ).toBeUndefined(); // a hung SCS and a lost SIP host: a finding, not a mechanism
    // An ICON or its IDB does not touch the agents: a violation.
    expect(explainedBy(line('agent_outage_max_s < 30'), ['idb-down', 'idb-up'])).toBeUndefined();
  });

  test('both SIP Server hosts of a site down at once (crashes overlapping, or one for good): DR moves expected, as after a site crash', () => {
    // explore --permanent found `dr_switchovers == 0` (split-brain-warm-desktops) broken by
    // b-sip-1 and b-sip-2 lost 2 s apart: business continuity doing its job.
    const t = handTopology('hot');
    const at = (f: FaultSpec, atMs: number, durationMs?: number) =>
      ({ ...f, atMs, durationMs }) as FaultSpec;
    const dr = line('dr_switchovers == 0');
    const b1 = at(fault('host-crash', 'b-sip-1'), 1000, 5000);
    const b2 = at(fault('host-crash', 'b-sip-2'), 3000, 5000);
    expect(explainedBy(dr, [b1, b2], t)?.why).toMatch(/both SIP Servers of a site/);
    expect(mechanismOf('dr_switchovers', 'host-crash')).toMatch(/both SIP Servers of a site/);
    // For good: no end, so any later crash of the other overlaps it.
    const lost = at(fault('host-crash', 'b-sip-1'), 1000);
    expect(
      explainedBy(dr, [lost, at(fault('host-crash', 'b-sip-2'), 90_000, 1000)], t),
    ).toBeDefined();
    expect(explainedBy(line('dr_login_span_s <= 60s'), [b1, b2], t)).toBeDefined();
    // A process crash of one member while its partner's host is down: the pair has no member
    // until the restart (app-start-time, 20 s), as explore --permanent found on
    // startup-csproxy-down (b-sip-2 crashed, sip-b-1 crashed 25 s later: 20.6 s without one).
    const b2host = at(fault('host-crash', 'b-sip-2'), 344_000, 1000);
    const sip1 = at(fault('process-crash', 'sip-b-1'), 369_000);
    expect(explainedBy(dr, [b2host, sip1], t)).toBeDefined();
    expect(explainedBy(dr, [sip1, b2host], t)?.kind).toBe('process-crash');
    // ... not once the host has booted and started its apps again (1 s + host-boot-time 120 s +
    // app-start-time 20 s after the crash), nor a process crash alone.
    expect(explainedBy(dr, [at(b2host, 300_000, 1000), at(sip1, 420_000)], t)).toBeDefined();
    expect(explainedBy(dr, [at(b2host, 300_000, 1000), at(sip1, 442_000)], t)).toBeUndefined();
    expect(explainedBy(dr, [sip1], t)).toBeUndefined();
    // The restart times the run read: a scenario's own app-start-time (90 s here, over the
    // topology's default 20 s) keeps the host's apps down until 1 s + 120 s + 90 s, past the
    // process crash at 442 s; the judge reads it as the run did (before, the topology's only).
    const slow = new Options([new Map([['app-start-time', 90_000]]), t.options]);
    expect(explainedBy(dr, [at(b2host, 300_000, 1000), at(sip1, 442_000)], t, slow)).toBeDefined();
    expect(
      explainedBy(dr, [at(b2host, 300_000, 1000), at(sip1, 512_000)], t, slow),
    ).toBeUndefined();
    // One of the two, or the two one after the other (the second once the first's host has
    // booted and started its apps: 6 s + 120 s + 20 s), or hosts of two sites: a finding.
    expect(explainedBy(dr, [b1], t)).toBeUndefined();
    expect(
      explainedBy(dr, [b1, at(fault('host-crash', 'b-sip-2'), 147_000, 1000)], t),
    ).toBeUndefined();
    // Still booting when the second crashes: the pair is whole down (before, the judge read
    // only the crash's own duration and called this a finding).
    expect(explainedBy(dr, [b1, at(fault('host-crash', 'b-sip-2'), 7000, 1000)], t)).toBeDefined();
    expect(
      explainedBy(dr, [b1, at(fault('host-crash', 'a-sip-2'), 3000, 5000)], t),
    ).toBeUndefined();
  });

  test('calls dropped: expected when the losses for good take both hosts of a telephony pair (a --permanent draw), a finding when a transient crash joins them', () => {
    const t = handTopology('hot');
    const at = (f: FaultSpec, atMs: number, durationMs?: number) =>
      ({ ...f, atMs, durationMs }) as FaultSpec;
    const dropped = line('calls_dropped == 0');
    const b1 = at(fault('host-crash', 'b-sip-1'), 1000);
    const b2 = at(fault('host-crash', 'b-sip-2'), 20_000);
    expect(explainedBy(dropped, [b1, b2], t)?.why).toMatch(/lost for good/);
    // One member lost for good and the other crashed for a while: the redundancy left is
    // defeated by a transient fault, what explore looks for.
    expect(explainedBy(dropped, [b1, at(fault('host-crash', 'b-sip-2'), 20_000, 5000)], t)).toBe(
      undefined,
    );
    // Both transient, overlapping: still a violation under a hot pair.
    expect(
      explainedBy(dropped, [at(b1, 1000, 5000), at(fault('host-crash', 'b-sip-2'), 3000, 5000)], t),
    ).toBeUndefined();
  });

  test('split brain from a stale promotion: a hung member that another fault of its pair has SCS promote', () => {
    // explore (site-failure, seed 47) found split_brain_s 0.002 s: sip-a-2 hung, a manual
    // switchover to it dropped after scs-order-timeout, the order read when the hang ended.
    const t = handTopology('hot');
    const sb = line('split_brain_s == 0');
    const hang = fault('process-hang', 'sip-a-2');
    expect(explainedBy(sb, [hang, fault('manual-switchover', 'sip-a')], t)?.why).toMatch(
      /stale|dropped/,
    );
    expect(explainedBy(sb, [hang, fault('process-crash', 'sip-a-1')], t)?.kind).toBe(
      'process-hang',
    );
    // The hang alone, or with a fault on another pair: a finding.
    expect(explainedBy(sb, [hang], t)).toBeUndefined();
    expect(explainedBy(sb, [hang, fault('manual-switchover', 'sip-b')], t)).toBeUndefined();
  });

  test('the liveness invariants are never explained by a fault', () => {
    for (const text of CONVERGENCE)
      expect(explainedBy(line(text), [...FAULT_KINDS]), text).toBeUndefined();
  });

  test('the table names summary metrics and fault kinds only, each with its mechanism', () => {
    for (const [metric, moves] of Object.entries(MOVED_BY)) {
      expect(SUMMARY_METRIC_COLUMNS as readonly string[], metric).toContain(metric);
      for (const [kind, why] of Object.entries(moves)) {
        expect(FAULT_KINDS as readonly string[], kind).toContain(kind);
        expect(why!.length, `${metric} <- ${kind}`).toBeGreaterThan(10);
      }
    }
  });
});
