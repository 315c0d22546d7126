// The ICONs' shared flush timers (src/models/icon/flush.ts): timers armed one right after another
// for the same time share one event and flush in arming order, exactly where their own events
// would have run; an event that took a place between them keeps it; a disarmed timer does not
// flush, and an event nobody rides any more is cancelled.
import { describe, expect, it } from 'vitest';
import { FlushTimers } from '../../src/models/icon/flush.js';
import { Simulator } from '../../src/sim/index.js';

function setup(n: number) {
  const sim = new Simulator(1, 0);
  const seen: string[] = [];
  const timers = new FlushTimers(sim);
  for (let i = 0; i < n; i++) timers.add({ flushDue: () => seen.push(`${sim.nowMs}:icon${i}`) });
  return { sim, seen, timers };
}

describe('FlushTimers', () => {
  it('flushes timers armed one after another for one time with one event, in arming order', () => {
    const { sim, seen, timers } = setup(3);
    timers.arm(0, 5_000);
    timers.arm(1, 5_000);
    timers.arm(2, 5_000);
    expect(sim.pending).toBe(1);
    sim.call(5_000, () => seen.push('5000:later'));
    sim.run({ untilMs: 10_000 });
    expect(seen).toEqual(['5000:icon0', '5000:icon1', '5000:icon2', '5000:later']);
    expect(timers.armed(0) || timers.armed(1) || timers.armed(2)).toBe(false);
  });

  it('keeps the place of an event scheduled between two timers', () => {
    const { sim, seen, timers } = setup(2);
    timers.arm(0, 5_000);
    sim.call(5_000, () => seen.push('5000:between'));
    timers.arm(1, 5_000);
    expect(sim.pending).toBe(3);
    sim.run({ untilMs: 10_000 });
    expect(seen).toEqual(['5000:icon0', '5000:between', '5000:icon1']);
  });

  it('gives timers for different times their own events', () => {
    const { sim, seen, timers } = setup(2);
    timers.arm(0, 5_000);
    timers.arm(1, 4_000);
    sim.run({ untilMs: 10_000 });
    expect(seen).toEqual(['4000:icon1', '5000:icon0']);
  });

  it('does not flush a disarmed timer, and cancels an event nobody rides', () => {
    const { sim, seen, timers } = setup(2);
    timers.arm(0, 5_000);
    timers.arm(1, 5_000);
    timers.disarm(0);
    expect(timers.armed(0)).toBe(false);
    expect(sim.pending).toBe(1);
    sim.run({ untilMs: 6_000 });
    expect(seen).toEqual(['5000:icon1']);
    timers.arm(0, 11_000);
    timers.arm(1, 11_000);
    timers.disarm(1);
    timers.disarm(0);
    expect(sim.pending).toBe(0);
    // Nothing rides the cancelled event: a timer armed now gets an event of its own.
    timers.arm(1, 11_000);
    expect(sim.pending).toBe(1);
    sim.run({ untilMs: 20_000 });
    expect(seen).toEqual(['5000:icon1', '11000:icon1']);
  });

  it('schedules a timer in a place reserved earlier: before every event scheduled after it', () => {
    const { sim, seen, timers } = setup(2);
    sim.call(5_000, () => seen.push('5000:before'));
    const s = timers.reserve();
    sim.call(5_000, () => seen.push('5000:after'));
    timers.arm(1, 5_000); // nothing rides on a reserved place
    sim.call(1_000, () => timers.armReserved(0, 5_000, s));
    sim.run({ untilMs: 10_000 });
    expect(seen).toEqual(['5000:before', '5000:icon0', '5000:after', '5000:icon1']);
  });
});
