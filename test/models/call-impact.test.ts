// What telephony failures do to calls (DOMAIN §6). Conservation is asserted inside every run.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { handScenario, handTopology, traffic, type FaultDraft } from './hand-spec.js';

type F = FaultDraft;
const T0 = 1_800_000;
const agents = [
  { group: 'sales', count: 60, preferredSite: 'A', peerSite: 'B' },
  { group: 'support', count: 60, preferredSite: 'B', peerSite: 'A' },
];
const load = traffic(1800, 180_000, {
  siteSplit: { A: 0.5, B: 0.5 },
  wrapUpMs: 10_000,
  patienceMs: 120_000,
});

function run(faults: F[], redundancy: 'warm' | 'hot', seed = 3, options = {}) {
  const spec = handScenario(faults, {
    seed,
    durationMs: 2 * 3_600_000,
    topology: handTopology(redundancy),
    traffic: load,
    agents,
    options,
  });
  const center = new Center(spec, 0);
  const r = center.run();
  return { r, t: center.telephony.totals };
}

describe('host crash of the SIP primary', () => {
  test('warm standby degrades established calls and drops queued ones; hot standby almost none', () => {
    const warm = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], 'warm');
    const hot = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], 'hot');
    // About 30 calls talk at site A at any time (900/h × 3 min / 60 min ≈ 45 erlangs... here 45).
    expect(warm.t.degraded).toBeGreaterThan(20);
    expect(hot.t.degraded).toBeLessThan(3);
    expect(warm.t.dropped).toBeGreaterThanOrEqual(hot.t.dropped);
    expect(hot.t.dropped).toBe(0);
    // The impact is attributed to the switchover that followed.
    const sw = warm.r.switchovers.find((s) => s.pair === 'sip-a')!;
    expect(sw.callsDegraded).toBe(warm.t.degraded);
    // Same seed, same calls: both runs were offered the same traffic.
    expect(warm.t.offered).toBe(hot.t.offered);
  });

  test('hot standby: calls changed within ha-sync-lag are degraded; a longer lag degrades more', () => {
    const short = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], 'hot', 5, {
      'ha-sync-lag': 100,
    });
    const long = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], 'hot', 5, {
      'ha-sync-lag': 60_000,
    });
    expect(long.t.degraded).toBeGreaterThan(short.t.degraded + 5);
  });

  test('calls arriving while no SIP Server answers are delayed, not rejected, when service returns within gateway-detect-time', () => {
    const { t } = run([{ kind: 'host-crash', target: 'a-sip-1', atMs: T0 }], 'hot');
    expect(t.rejected).toBe(0);
  });
});

describe('site crash and graceful shutdown', () => {
  test('site crash drops the calls running through the site and rejects arrivals until the gateway notices', () => {
    const { r, t } = run(
      [{ kind: 'site-crash', target: 'A', atMs: T0, durationMs: 1_200_000 }],
      'hot',
    );
    expect(t.dropped).toBeGreaterThan(20);
    expect(t.rejected).toBeGreaterThan(0);
    // Calls only enter site A for the first gateway-detect-time; about 900/h × 32 s ≈ 8.
    expect(t.rejected).toBeLessThan(25);
    expect(r.intervals.some((iv) => iv.site === 'A' && iv.dropped > 0)).toBe(true);
  });

  test('graceful shutdown of the SIP primary drops no call', () => {
    const { r, t } = run([{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }], 'hot');
    expect(t.dropped).toBe(0);
    // New calls at site A are refused (603) while it drains; the backup takes over after exit.
    const sw = r.switchovers.find((s) => s.pair === 'sip-a')!;
    expect(sw.cause).toBe('shutdown');
  });

  test('graceful shutdown with dr-peer-trunk redirects new calls to the peer site instead of refusing them', () => {
    const refused = run([{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }], 'hot');
    const redirected = run([{ kind: 'graceful-shutdown', target: 'sip-a-1', atMs: T0 }], 'hot', 3, {
      'dr-peer-trunk': 'to-site-b',
    });
    expect(redirected.t.rejected).toBeLessThan(refused.t.rejected);
    expect(redirected.t.redirected).toBeGreaterThan(0);
  });
});

describe('conservation', () => {
  test('every offered call ends in exactly one outcome or is in progress (checked after every run)', () => {
    const { t } = run(
      [
        { kind: 'host-crash', target: 'a-sip-1', atMs: T0 },
        { kind: 'site-crash', target: 'B', atMs: T0 + 600_000, durationMs: 300_000 },
        { kind: 'graceful-shutdown', target: 'sip-a-2', atMs: T0 + 1_500_000 },
      ],
      'warm',
    );
    expect(t.offered).toBeGreaterThan(3000);
  });
});
