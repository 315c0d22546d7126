// AddpLink with exact times (DOMAIN §3): polls every addp-timeout + RTT after the last message,
// a loss declared one timeout after the unanswered poll, a close heard after the latency.
import { describe, expect, test } from 'vitest';
import { Simulator } from '../../src/sim/index.js';
import { Network } from '../../src/models/network/network.js';
import {
  AddpLink,
  addpLossDetectedAtMs,
  type AddpEndpoint,
} from '../../src/models/network/addp.js';
import { host, site } from './hand-spec.js';

const A = site('A');
const B = site('B');
const H0 = host('h0');
const H1 = host('h1');
const T = 10_000; // ADDP timeout of side 0 (side 1 does not poll)
const LAN = 1; // one-way latency: RTT 2 ms, polls every 10 002 ms

function setup() {
  const sim = new Simulator(1, 0);
  const hosts = new Map([
    [H0, { id: H0, site: A, powered: true }],
    [H1, { id: H1, site: A, powered: true }],
  ]);
  const net = new Network(sim, hosts, LAN, 50);
  const lost: { atMs: number; side: number; reason: string }[] = [];
  const alive = [true, true];
  const end = (side: number): AddpEndpoint => ({
    hostId: host(`h${side}`),
    addpAlive: () => alive[side]!,
    onConnectionLost: (_l, reason) => lost.push({ atMs: sim.nowMs, side, reason }),
  });
  const link = new AddpLink(sim, net, 'h0>h1', end(0), end(1), [T, 0]);
  link.connect([0, 0]);
  return { sim, net, link, lost, alive };
}

describe('AddpLink: exact detection times', () => {
  test('a peer vanishing at 25 s is declared lost at 40.004 s (poll at 30.004 s unanswered)', () => {
    const x = setup();
    x.sim.call(25_000, () => {
      x.alive[1] = false;
      x.link.dropSilently(1);
    });
    x.sim.run({ untilMs: 100_000, eventsMax: 1_000 });
    expect(x.lost).toEqual([{ atMs: 40_004, side: 0, reason: 'addp-timeout' }]);
    expect(addpLossDetectedAtMs(0, T, 2 * LAN, 25_000)).toBe(40_004);
  });

  test('a close from the peer is heard one latency later', () => {
    const x = setup();
    x.sim.call(25_000, () => x.link.closeFrom(1));
    x.sim.run({ untilMs: 100_000, eventsMax: 1_000 });
    expect(x.lost).toEqual([{ atMs: 25_001, side: 0, reason: 'closed' }]);
  });

  test('a partition is found like a vanished peer; healed before the poll, nothing is lost', () => {
    const cut = setup();
    cut.sim.call(25_000, () => cut.net.partition('p', [H0], [H1]));
    cut.sim.call(35_000, () => cut.net.heal('p')); // the poll of 30.004 s went unanswered
    cut.sim.run({ untilMs: 100_000, eventsMax: 1_000 });
    // Side 0 gives up and closes its end: side 1, reachable again, hears it a latency later.
    expect(cut.lost).toEqual([
      { atMs: 40_004, side: 0, reason: 'addp-timeout' },
      { atMs: 40_005, side: 1, reason: 'closed' },
    ]);

    const healed = setup();
    healed.sim.call(25_000, () => healed.net.partition('p', [H0], [H1]));
    healed.sim.call(29_000, () => healed.net.heal('p'));
    healed.sim.run({ untilMs: 100_000, eventsMax: 1_000 });
    expect(healed.lost).toEqual([]);
    expect(healed.link.isOpen(0)).toBe(true);
  });

  test('a message received restarts the cycle: a vanish right after it is found a full cycle later', () => {
    const x = setup();
    x.sim.call(24_000, () => x.link.send(1, () => {})); // reaches side 0 at 24.001 s
    x.sim.call(25_000, () => {
      x.alive[1] = false;
      x.link.dropSilently(1);
    });
    x.sim.run({ untilMs: 100_000, eventsMax: 1_000 });
    // Anchor 24.001 s: poll at 34.001 s, lost at 44.001 s.
    expect(x.lost).toEqual([{ atMs: 44_001, side: 0, reason: 'addp-timeout' }]);
  });
});

// wan-degrade (SPEC §5.2): on a degraded WAN the polls go one by one; a poll counts as answered
// only if it and its answer (latency, plus TCP retransmissions of lost attempts) are back
// within the timeout.
describe('AddpLink across a degraded WAN', () => {
  const WAN = 50;
  function wanSetup() {
    const sim = new Simulator(3, 0);
    const hosts = new Map([
      [H0, { id: H0, site: A, powered: true }],
      [H1, { id: H1, site: B, powered: true }],
    ]);
    const net = new Network(sim, hosts, LAN, WAN, 1_000);
    const lost: { atMs: number; side: number; reason: string }[] = [];
    const x = { sim, net, lost, alive: true, link: undefined as unknown as AddpLink };
    const end = (side: number): AddpEndpoint => ({
      hostId: host(`h${side}`),
      addpAlive: () => side === 0 || x.alive,
      onConnectionLost: (_l, reason) => lost.push({ atMs: sim.nowMs, side, reason }),
    });
    x.link = new AddpLink(sim, net, 'h0>h1', end(0), end(1), [T, 0]);
    x.link.connect([0, 0]);
    return x;
  }

  test('latency below the timeout: every poll answered, nothing lost', () => {
    const x = wanSetup();
    // Round trip 2 × (50 + 4 900) = 9.9 s < 10 s.
    x.sim.call(25_000, () => x.net.degrade(A, B, { latencyMs: 4_900, loss: 0 }));
    x.sim.call(600_000, () => x.net.restore(A, B));
    x.sim.run({ untilMs: 900_000, eventsMax: 10_000 });
    expect(x.lost).toEqual([]);
    expect(x.link.isOpen(0)).toBe(true);
  });

  test('latency above the timeout: the first poll after the degradation goes unanswered', () => {
    const x = wanSetup();
    // Round trip 2 × (50 + 5 000) = 10.1 s > 10 s. The quiet cycle's polls (RTT 0.1 s) went
    // out at 10 s and 20.1 s (answered 20.2 s): the next, at 30.2 s, times out at 40.2 s.
    x.sim.call(25_000, () => x.net.degrade(A, B, { latencyMs: 5_000, loss: 0 }));
    x.sim.run({ untilMs: 100_000, eventsMax: 10_000 });
    expect(x.lost[0]).toEqual({ atMs: 40_200, side: 0, reason: 'addp-timeout' });
  });

  test('heavy loss: a poll or its answer retransmitted past the timeout — the link is lost', () => {
    const times = [1, 2].map(() => {
      const x = wanSetup();
      x.sim.call(25_000, () => x.net.degrade(A, B, { latencyMs: 0, loss: 0.6 }));
      x.sim.run({ untilMs: 3_600_000, eventsMax: 100_000 });
      return x.lost[0]?.atMs;
    });
    expect(times[0]).toBeGreaterThan(25_000);
    expect(times[0]).toBeLessThan(3_600_000);
    expect(times[1]).toBe(times[0]); // one seed, one history
  });

  test('one TCP stream: a message never overtakes the one sent before it (lossy WAN, then restored)', () => {
    // Found by the convergence property test with wan-degrade: an LCA's "promoted" report,
    // retransmitted on a lossy WAN, arrived after the "demoted" report sent once the WAN was
    // restored; SCS kept the stale view and demoted the other member too (no primary for ever).
    const x = wanSetup();
    const got: number[] = [];
    x.sim.call(25_000, () => x.net.degrade(A, B, { latencyMs: 0, loss: 0.5 }));
    let k = 0;
    for (let t = 25_100; t < 40_000; t += 100) {
      const n = k++;
      x.sim.call(t, () => x.link.send(1, () => got.push(n)));
    }
    x.sim.call(30_000, () => x.net.restore(A, B));
    x.sim.run({ untilMs: 60_000, eventsMax: 100_000 });
    // Some were held back by retransmissions (not all at their latency), none reordered.
    expect(got.length).toBeGreaterThan(100);
    expect(got).toEqual([...got].sort((a, b) => a - b));
  });

  test('a message TCP gives up on holds back the rest of its stream: ADDP finds the connection lost', () => {
    // (Almost) every attempt lost for an instant: the message from side 1 is lost tcp_retries2 times.
    // The WAN is healthy again at once, but what side 1 sends after it waits behind it (one TCP
    // stream), its answers to side 0's polls too: side 0's next poll goes unanswered.
    const x = wanSetup();
    const got: string[] = [];
    x.sim.call(25_000, () => {
      x.net.degrade(A, B, { latencyMs: 0, loss: 0.99999 });
      x.link.send(1, () => got.push('given up'));
      x.net.restore(A, B);
    });
    x.sim.call(26_000, () => x.link.send(1, () => got.push('behind it')));
    x.sim.call(27_000, () => x.link.send(0, () => got.push('other way')));
    x.sim.run({ untilMs: 120_000, eventsMax: 10_000 });
    expect(got).toEqual(['other way']); // the other direction is a stream of its own
    const at = x.lost[0]!.atMs;
    expect(at).toBeGreaterThan(25_000 + T);
    expect(at).toBeLessThanOrEqual(25_000 + 2 * T + 200);
    // Side 0's close goes on its own stream, which works: side 1 hears it a latency later.
    // (Side 1 does not poll here; it would find the loss the same way.)
    expect(x.lost).toEqual([
      { atMs: at, side: 0, reason: 'addp-timeout' },
      { atMs: at + WAN, side: 1, reason: 'closed' },
    ]);
  });

  test('a source record on a degraded path answers the poll in flight and tells its feed nothing', () => {
    // An ICON's records touch its link (TrafficFeed). Degraded, polls go one by one and every
    // record answers the one in flight; the end stays open and never quiet, and the feed's
    // reception rests on those two: a record's touch tells it nothing (its own events and the
    // path's changes do).
    const x = wanSetup();
    let inTouch = false;
    let fromTouch = 0;
    let changes = 0;
    x.link.setFeed({
      settleTraffic: () => {},
      linkChanged: () => {
        changes++;
        if (inTouch) fromTouch++;
      },
    });
    x.sim.call(25_000, () => x.net.degrade(A, B, { latencyMs: 6_000, loss: 0 }));
    const seen: boolean[] = [];
    for (let t = 26_000; t < 120_000; t += 1_000)
      x.sim.call(t, () => {
        inTouch = true;
        x.link.touch(0);
        inTouch = false;
        seen.push(x.link.isOpen(0) && !x.link.quiet(0));
      });
    x.sim.call(119_500, () => x.net.restore(A, B));
    x.sim.run({ untilMs: 200_000, eventsMax: 10_000 });
    // Round trip 12.1 s > the timeout: without the records a poll would have gone unanswered
    // (as one does 10 s after the last record, if the path is still degraded then).
    expect(x.lost).toEqual([]);
    expect(seen).toHaveLength(94);
    expect(seen.every((ok) => ok)).toBe(true);
    expect(fromTouch).toBe(0);
    expect(changes).toBeGreaterThanOrEqual(2); // the degradation and the restoration
    expect(x.link.quiet(0)).toBe(true);
  });

  test('restored: back to the quiet cycle, a vanished peer found as on a healthy WAN', () => {
    const x = wanSetup();
    x.sim.call(25_000, () => x.net.degrade(A, B, { latencyMs: 0, loss: 0.05 }));
    x.sim.call(60_000, () => x.net.restore(A, B));
    x.sim.call(100_000, () => {
      x.alive = false;
      x.link.dropSilently(1);
    });
    x.sim.run({ untilMs: 200_000, eventsMax: 10_000 });
    // ADDP's rule: between one and two timeouts (plus a round trip) after the vanish.
    expect(x.lost).toHaveLength(1);
    expect(x.lost[0]!.atMs).toBeGreaterThanOrEqual(100_000 + T);
    expect(x.lost[0]!.atMs).toBeLessThanOrEqual(100_000 + 2 * T + 2 * WAN);
  });
});

describe('TCP on a lossy WAN (network.ts)', () => {
  function lossyNet(loss: number) {
    const sim = new Simulator(5, 0);
    const hosts = new Map([
      [H0, { id: H0, site: A, powered: true }],
      [H1, { id: H1, site: B, powered: true }],
    ]);
    const net = new Network(sim, hosts, LAN, 30, 1_000);
    net.degrade(A, B, { latencyMs: 0, loss });
    return net;
  }

  test('a connect gives up after tcp_syn_retries instead of waiting hours for its SYN-ACK', () => {
    // Nearly every packet lost: a SYN gets through only after many retransmissions, which the
    // connect does not wait for (about 127 s: 1 + 2 + … + 64 s); the caller tries again later.
    const net = lossyNet(0.97);
    const tries = Array.from({ length: 200 }, () => net.connectMs(H0, H1));
    expect(tries.filter((ms) => ms < 0).length).toBeGreaterThan(150);
    for (const ms of tries) if (ms >= 0) expect(ms).toBeLessThanOrEqual(2 * (30 + 63_000));
    // Healthy or in a site: one round trip.
    expect(lossyNet(0).connectMs(H0, H1)).toBe(60);
    expect(lossyNet(0.97).connectMs(H0, H0)).toBe(0);
  });

  test('the retransmission timeout doubles up to 120 s, not beyond', () => {
    const net = lossyNet(0.9);
    const delays = Array.from({ length: 2_000 }, () => net.transitMs(H0, H1)).filter(
      (ms) => ms >= 0,
    );
    // 15 retransmissions at most: 1 + 2 + … + 64 s, then 120 s each (8 of them).
    expect(Math.max(...delays)).toBeLessThanOrEqual(30 + 127_000 + 8 * 120_000);
    expect(Math.max(...delays)).toBeGreaterThan(30 + 127_000); // some waited past the cap
  });
});
