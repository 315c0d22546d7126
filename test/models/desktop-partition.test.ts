// Desktops have no host of their own; they stand on their site's LAN (Network.siteReachable), so a
// partition cuts them off from a server as it cuts their site's hosts off: their ADDP detects the
// loss (between client-addp-timeout and twice that), and after the heal they connect again.
// Budget: four replications of 50 min with 20 agents (< 2 s).
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import {
  handScenario,
  handTopology,
  isolateHost,
  site,
  traffic,
  type FaultDraft,
} from './hand-spec.js';

type F = FaultDraft;
const T0 = 1_800_000;
const ADDP_MS = 10_000; // client-addp-timeout default

/** a-sip-1 (sip-a's primary) cut off from every other host for `durationMs`. */
const isolateSip = (durationMs: number): F => isolateHost('a-sip-1', T0, durationMs);

function runUntil(endMs: number, faults: F[]) {
  const spec = handScenario(faults, {
    seed: 3,
    durationMs: endMs,
    topology: handTopology('hot'),
    traffic: traffic(200, 180_000),
    agents: [{ group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' }],
  });
  const center = new Center(spec, 0);
  center.run();
  const d = center.desktops;
  const agents = [...Array(center.telephony.agents.count).keys()];
  return { center, d, agents };
}

/** Site A crashes at T0 (for `crashMs`, or for good); A and B are partitioned from `splitAtMs`. */
function crashThenSplit(
  crashMs: number | undefined,
  splitAtMs: number,
  splitMs: number,
  endMs: number,
) {
  const hostsAt = (s: string) =>
    handTopology()
      .hosts.filter((h) => h.site === site(s))
      .map((h) => h.id);
  const spec = handScenario(
    [
      { kind: 'site-crash', target: site('A'), atMs: T0, durationMs: crashMs },
      {
        kind: 'network-partition',
        target: 'A|B',
        sideA: hostsAt('A'),
        sideB: hostsAt('B'),
        atMs: splitAtMs,
        durationMs: splitMs,
      },
    ],
    {
      seed: 3,
      durationMs: endMs,
      topology: handTopology('hot'),
      traffic: traffic(200, 180_000),
      agents: [{ group: 'sales', count: 20, preferredSite: 'A', peerSite: 'B' }],
      options: { 'disaster-recovery.enabled': true },
    },
  );
  const center = new Center(spec, 0);
  return { center, r: center.run() };
}

describe('desktops and network partitions', () => {
  test('cut off from a-sip-1: within two ADDP timeouts every desktop has lost it and keeps sip-a-2', () => {
    const late = runUntil(T0 + 2 * ADDP_MS + 1_000, [isolateSip(600_000)]);
    for (const a of late.agents) {
      expect(late.d.linkOf(a, 0), `desktop ${a} to sip-a-1`).not.toBe('up');
      expect(late.d.linkOf(a, 1), `desktop ${a} to sip-a-2`).toBe('up');
    }
    // Not before one ADDP timeout: the poll goes out only after T of silence.
    const early = runUntil(T0 + ADDP_MS - 1, [isolateSip(600_000)]);
    for (const a of early.agents) expect(early.d.linkOf(a, 0)).toBe('up');
  });

  test('after the heal the desktops connect to a-sip-1 again within reconnect-timeout', () => {
    const { d, agents } = runUntil(T0 + 120_000 + 10_000 + 1_000, [isolateSip(120_000)]);
    for (const a of agents) {
      expect(d.linkOf(a, 0), `desktop ${a} to sip-a-1`).toBe('up');
      expect(d.linkOf(a, 1)).toBe('up');
      expect(d.phaseOf(a)).toBe('working');
    }
  });

  test('a partition healed before the polls at stake: no desktop loses a-sip-1', () => {
    // The heal is a path change while every desktop's loss is being judged: each detection is
    // void (TelephonyListener.pathChanged), not left to fire. A pathChanged that took the
    // network for quiet because every path is healthy again would let them all fire.
    const { d, agents } = runUntil(T0 + 2 * ADDP_MS + 1_000, [isolateSip(1)]);
    for (const a of agents) {
      expect(d.linkOf(a, 0), `desktop ${a} to sip-a-1`).toBe('up');
      expect(d.linkOf(a, 1)).toBe('up');
    }
  });

  test('at the peer site’s servers when a partition cuts the sites apart: telephony OFF, then the DR switchover back to the preferred site', () => {
    // Sales desktops stand at A. The site crash moves them to B's SIP Servers (no auto-restore:
    // they stay there); the partition then cuts them off from both B servers although the pool
    // is in service. Their retries fail, and after disaster-recovery.timeout they switch to A,
    // whose servers they reach (seed 002: telephony OFF that long → the other site).
    const MIN = 60_000;
    const T1 = T0 + 30 * MIN;
    const { center, r } = crashThenSplit(5 * MIN, T1, 30 * MIN, T1 + 10 * MIN);
    const d = center.desktops;
    for (let a = 0; a < center.telephony.agents.count; a++) {
      expect(d.siteOf(a), `desktop ${a}`).toBe('A');
      expect(d.phaseOf(a)).toBe('working');
      expect(d.linkOf(a, 0)).toBe('up');
      expect(r.agents[a]!.drSwitchovers).toBe(2);
    }
    // Out from the partition to the move back: two ADDP timeouts at most, the DR timeout, the
    // re-login; not the partition's 30 minutes.
    const worst = Math.max(...r.agents.map((x) => x.outageMs));
    expect(worst).toBeLessThan(5 * MIN);
  });

  test('cut off from the peer site after a DR move, with the preferred site down: the desktops wait, they do not bounce', () => {
    // A crashes for good at T0; the desktops move to B (~T0 + 70 s). At T0 + 5 min A and B are
    // partitioned for 10 minutes: telephony is OFF at B, and after disaster-recovery.timeout the
    // desktops switch to A, whose CS Proxy is down; B's serves but cannot be reached from A's LAN
    // where they stand, so the login waits at A until the heal, then goes to B. Before, the
    // login took B's serving proxy as answering and bounced between the sites every minute (11
    // switchovers each instead of 3).
    const MIN = 60_000;
    const { center, r } = crashThenSplit(undefined, T0 + 5 * MIN, 10 * MIN, T0 + 30 * MIN);
    for (const a of r.agents.keys()) {
      expect(r.agents[a]!.drSwitchovers, `desktop ${a}`).toBe(3);
      expect(center.desktops.siteOf(a)).toBe('B');
      expect(center.desktops.phaseOf(a)).toBe('working');
    }
  });
});
