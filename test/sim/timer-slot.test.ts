// TimerSlot: one timer per purpose, and the episode it belongs to — a re-armed or cancelled slot
// never fires its old timer, and steps that captured an old episode see it is no longer current.

import { describe, expect, it } from 'vitest';
import { SimAssertionError, Simulator, TimerSlot } from '../../src/sim/index.js';

describe('TimerSlot', () => {
  it('fires once at the armed time and is then idle', () => {
    const sim = new Simulator(1, 0);
    const slot = new TimerSlot(sim);
    const fired: number[] = [];
    const episode = slot.arm(5_000, () => fired.push(sim.nowMs));
    expect(slot.pending).toBe(true);
    expect(slot.dueAtMs).toBe(5_000);
    sim.run({ untilMs: 10_000 });
    expect(fired).toEqual([5_000]);
    expect(slot.pending).toBe(false);
    expect(slot.dueAtMs).toBeUndefined();
    expect(slot.isCurrent(episode)).toBe(true); // firing does not end the episode
  });

  it('re-arming replaces the pending timer: a second shutdown is not cut short by the first cap', () => {
    const sim = new Simulator(1, 0);
    const cap = new TimerSlot(sim);
    const fired: string[] = [];
    const first = cap.arm(90 * 60_000, () => fired.push(`first@${sim.nowMs}`));
    sim.run({ untilMs: 85 * 60_000 });
    const second = cap.arm(90 * 60_000, () => fired.push(`second@${sim.nowMs}`));
    expect(second).toBeGreaterThan(first);
    expect(cap.isCurrent(first)).toBe(false);
    sim.run({ untilMs: 200 * 60_000 });
    expect(fired).toEqual([`second@${175 * 60_000}`]);
  });

  it('cancel ends the episode: nothing fires and in-flight steps see a stale episode', () => {
    const sim = new Simulator(1, 0);
    const slot = new TimerSlot(sim);
    const fired: number[] = [];
    const episode = slot.arm(1_000, () => fired.push(sim.nowMs));
    expect(slot.cancel()).toBe(true);
    expect(slot.cancel()).toBe(false); // nothing pending any more
    expect(slot.isCurrent(episode)).toBe(false);
    // A step scheduled elsewhere that checks its episode before acting (a message in flight).
    sim.call(500, () => {
      if (slot.isCurrent(episode)) fired.push(-1);
    });
    sim.run({ untilMs: 5_000 });
    expect(fired).toEqual([]);
    expect(sim.pending).toBe(0);
  });

  it('advance starts an episode without a timer and cancels the pending one', () => {
    const sim = new Simulator(1, 0);
    const slot = new TimerSlot(sim);
    const fired: number[] = [];
    slot.arm(1_000, () => fired.push(1));
    const e = slot.advance();
    expect(slot.episode).toBe(e);
    expect(slot.pending).toBe(false);
    sim.run({ untilMs: 5_000 });
    expect(fired).toEqual([]);
  });

  it('an arm from inside its own callback starts the next episode (retries)', () => {
    const sim = new Simulator(1, 0);
    const slot = new TimerSlot(sim);
    const attempts: number[] = [];
    const attempt = (): void => {
      attempts.push(sim.nowMs);
      if (attempts.length < 3) slot.arm(20_000, attempt);
    };
    slot.arm(20_000, attempt);
    sim.run({ untilMs: 100_000 });
    expect(attempts).toEqual([20_000, 40_000, 60_000]);
    expect(slot.pending).toBe(false);
  });

  it('rejects a negative or fractional delay', () => {
    const slot = new TimerSlot(new Simulator(1, 0));
    expect(() => slot.arm(-1, () => {})).toThrow(SimAssertionError);
    expect(() => slot.arm(1.5, () => {})).toThrow(SimAssertionError);
  });
});
