// The simulation loop: ordering of equal times, cancel, misuse assertions, run limits, stop,
// and ordering across the queue's two tiers (delays beyond the timing wheel's 65.5 s span).

import { describe, expect, it } from 'vitest';
import {
  MemoryTrace,
  SimAssertionError,
  SimLimitError,
  Simulator,
  type Handler,
} from '../../src/sim/index.js';

/** Records (time, kind, arg) of every event it receives. */
class Recorder implements Handler {
  readonly seen: string[] = [];
  constructor(private readonly sim: Simulator) {}
  onEvent(kind: number, arg: number): void {
    this.seen.push(`${this.sim.nowMs}:${kind}:${arg}`);
  }
}

describe('Simulator ordering', () => {
  it('runs events at equal times in scheduling order, handlers and closures alike', () => {
    const sim = new Simulator(1, 0);
    const order: string[] = [];
    const h: Handler = { onEvent: (kind) => order.push(`h${kind}`) };
    sim.schedule(5, h, 1);
    sim.call(5, () => order.push('c2'));
    sim.schedule(3, h, 0); // earlier time, scheduled later: runs first
    sim.scheduleAt(5, h, 3);
    sim.call(5, () => order.push('c4'));
    sim.run({ untilMs: 10 });
    expect(order).toEqual(['h0', 'h1', 'c2', 'h3', 'c4']);
  });

  it('runs a zero-delay event after the events already due at the same time', () => {
    const sim = new Simulator(1, 0);
    const order: string[] = [];
    sim.call(7, () => {
      order.push('a');
      sim.call(0, () => order.push('a+0'));
    });
    sim.call(7, () => order.push('b'));
    sim.run({ untilMs: 7 });
    expect(order).toEqual(['a', 'b', 'a+0']);
  });

  it('dispatches events for a HandlerId to its handler, in order with objects and closures', () => {
    const sim = new Simulator(1, 0);
    const order: string[] = [];
    class Named implements Handler {
      constructor(readonly name: string) {}
      onEvent(kind: number, arg: number): void {
        order.push(`${this.name}${kind}:${arg}@${sim.nowMs}`); // `this` is the handler
      }
    }
    const a = sim.handler(new Named('a'));
    const b = sim.handler(new Named('b'));
    const o = new Named('o');
    sim.schedule(5, b, 255, 0.5);
    sim.scheduleAt(5, o, 1000, -2);
    sim.call(5, () => order.push('c'));
    sim.schedule(3, a, 0, 2 ** 40); // earlier time, scheduled later: runs first
    const seq = sim.reserve();
    sim.scheduleAt(5, a, 7, 1);
    sim.scheduleReserved(5, seq, b, 3, 4); // takes the reserved place, before a7
    sim.schedule(200_000, a, 1, 9); // past the fine wheel
    sim.run({ untilMs: 300_000 });
    expect(order).toEqual([
      `a0:${2 ** 40}@3`,
      'b255:0.5@5',
      'o1000:-2@5',
      'c',
      'b3:4@5',
      'a7:1@5',
      'a1:9@200000',
    ]);
  });

  it('rejects a kind outside 0..255 for a HandlerId', () => {
    const sim = new Simulator(1, 0);
    const h = sim.handler({ onEvent: () => undefined });
    expect(() => sim.schedule(1, h, 256)).toThrow(SimAssertionError);
    expect(() => sim.scheduleAt(1, h, -1)).toThrow(SimAssertionError);
    expect(() => sim.scheduleReserved(1, sim.reserve(), h, 0.5)).toThrow(SimAssertionError);
    expect(sim.pending).toBe(0);
  });

  it('passes kind and arg to the handler at the scheduled time', () => {
    const sim = new Simulator(1, 0);
    const r = new Recorder(sim);
    sim.schedule(2, r, 7, 0.25);
    sim.schedule(1, r, 3, -4);
    sim.run({ untilMs: 100 });
    expect(r.seen).toEqual(['1:3:-4', '2:7:0.25']);
  });

  it('orders (time, seq) across the wheel and the far tier', () => {
    // An event scheduled 100 s ahead (beyond the 65.5 s wheel) and one scheduled later for the
    // same instant from closer in: the earlier-scheduled one runs first.
    const sim = new Simulator(1, 0);
    const order: string[] = [];
    sim.call(100_000, () => order.push('far'));
    sim.call(50_000, () => sim.call(50_000, () => order.push('near')));
    sim.call(99_999, () => order.push('before'));
    sim.call(100_001, () => order.push('after'));
    sim.call(3_600_000, () => order.push('hour'));
    sim.run({ untilMs: 4_000_000 });
    expect(order).toEqual(['before', 'far', 'near', 'after', 'hour']);
  });

  it('tells each event its place in the order (nowSeq): a reserved place falls between', () => {
    const sim = new Simulator(1, 0);
    const seen: [number, number][] = [];
    const look = () => seen.push([sim.nowMs, sim.nowSeq]);
    expect(sim.nowSeq).toBe(-1);
    sim.call(20, look);
    const r = sim.reserve();
    sim.call(20, look);
    sim.call(10, look);
    sim.run({ untilMs: 100 });
    expect(seen.map(([t]) => t)).toEqual([10, 20, 20]);
    const [, first, second] = seen.map(([, s]) => s);
    // The event scheduled before the reservation came before it, the later ones after it.
    expect(first! < r && r < second!).toBe(true);
    expect(seen[0]![1]).toBeGreaterThan(r);
  });

  it('replays the same seed to the same trace', () => {
    const runOnce = () => {
      const trace = new MemoryTrace();
      const sim = new Simulator(7, 2, trace);
      const rng = sim.stream('agent-1');
      const tick: Handler = {
        onEvent: (kind) => {
          sim.trace('agent-1', `s${kind}`, 'tick');
          if (sim.nowMs < 1e6) sim.schedule(Math.floor(rng.next() * 10_000), tick, kind + 1);
        },
      };
      sim.schedule(0, tick, 0);
      sim.run({ untilMs: 2e6 });
      return trace.rows;
    };
    const a = runOnce();
    expect(a.length).toBeGreaterThan(100);
    expect(runOnce()).toEqual(a);
  });
});

describe('Simulator.cancel', () => {
  it('removes a pending event, and only once', () => {
    const sim = new Simulator(1, 0);
    const ran: string[] = [];
    const a = sim.call(10, () => ran.push('a'));
    sim.call(10, () => ran.push('b'));
    expect(sim.cancel(a)).toBe(true);
    expect(sim.cancel(a)).toBe(false); // double cancel
    expect(sim.pending).toBe(1);
    sim.run({ untilMs: 20 });
    expect(ran).toEqual(['b']);
  });

  it('returns false for an event that already ran', () => {
    const sim = new Simulator(1, 0);
    const a = sim.call(1, () => {});
    sim.run({ untilMs: 5 });
    expect(sim.cancel(a)).toBe(false);
  });

  it('returns false for a stale id whose slot now holds another event, which still runs', () => {
    const sim = new Simulator(1, 0);
    const ran: string[] = [];
    const a = sim.call(1, () => ran.push('a'));
    sim.run({ untilMs: 1 }); // a ran; its slot is free
    const b = sim.call(1, () => ran.push('b')); // takes a's slot
    expect(b).not.toBe(a);
    expect(sim.cancel(a)).toBe(false);
    sim.run({ untilMs: 10 });
    expect(ran).toEqual(['a', 'b']);
  });

  it('cancels far (heap) events too', () => {
    const sim = new Simulator(1, 0);
    const ran: string[] = [];
    const far = sim.call(500_000, () => ran.push('far'));
    sim.call(400_000, () => ran.push('near'));
    expect(sim.cancel(far)).toBe(true);
    sim.run({ untilMs: 1_000_000 });
    expect(ran).toEqual(['near']);
  });
});

describe('Simulator misuse', () => {
  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', NaN],
    ['infinite', Infinity],
  ])('rejects a %s delay', (_what, delayMs) => {
    const sim = new Simulator(1, 0);
    const h: Handler = { onEvent() {} };
    expect(() => sim.schedule(delayMs, h)).toThrow(SimAssertionError);
    expect(() => sim.call(delayMs, () => {})).toThrow(SimAssertionError);
    expect(sim.pending).toBe(0);
  });

  it('rejects scheduleAt in the past or at a fractional time, with the values in the message', () => {
    const sim = new Simulator(1, 0);
    const h: Handler = { onEvent() {} };
    sim.call(100, () => {});
    sim.run({ untilMs: 100 });
    expect(() => sim.scheduleAt(99, h)).toThrow(/99 is in the past \(now 100\)/);
    expect(() => sim.scheduleAt(150.5, h)).toThrow(SimAssertionError);
    expect(() => sim.schedule(-1, h)).toThrow(/got -1/);
    sim.scheduleAt(100, h); // now itself is allowed
    expect(sim.pending).toBe(1);
  });

  it('posts an event with no id: it runs at its time, in order among scheduled ones', () => {
    const sim = new Simulator(1, 0);
    const order: string[] = [];
    const obj: Handler = { onEvent: (kind, arg) => order.push(`obj ${kind} ${arg}`) };
    const num = sim.handler({ onEvent: (kind, arg) => order.push(`num ${kind} ${arg}`) });
    sim.scheduleAt(10, obj, 1, 1);
    expect(sim.postAt(10, num, 2, 2)).toBeUndefined();
    sim.postAt(10, obj, 3, 3);
    sim.schedule(5, num, 4, 4);
    sim.run({ untilMs: 20 });
    expect(order).toEqual(['num 4 4', 'obj 1 1', 'num 2 2', 'obj 3 3']);
    expect(() => sim.postAt(19, num)).toThrow(/postAt: time 19 is in the past \(now 20\)/);
    expect(() => sim.postAt(30, num, -1)).toThrow(SimAssertionError);
    expect(sim.pending).toBe(0);
  });

  it('rejects running to a time before now, and a bad seed', () => {
    const sim = new Simulator(1, 0);
    sim.run({ untilMs: 50 });
    expect(() => sim.run({ untilMs: 49 })).toThrow(SimAssertionError);
    expect(() => new Simulator(-1, 0)).toThrow(SimAssertionError);
    expect(() => new Simulator(1.5, 0)).toThrow(SimAssertionError);
  });
});

describe('Simulator.run', () => {
  it('stops at untilMs: later events stay pending, now is untilMs, an event at untilMs runs', () => {
    const sim = new Simulator(1, 0);
    const ran: number[] = [];
    for (const t of [10, 20, 30, 40]) sim.call(t, () => ran.push(t));
    expect(sim.run({ untilMs: 30 })).toBe('until');
    expect(ran).toEqual([10, 20, 30]);
    expect(sim.nowMs).toBe(30);
    expect(sim.pending).toBe(1);
    expect(sim.run({ untilMs: 35 })).toBe('until');
    expect(sim.nowMs).toBe(35);
    expect(sim.run({ untilMs: 100 })).toBe('empty');
    expect(ran).toEqual([10, 20, 30, 40]);
    expect(sim.nowMs).toBe(100);
    expect(sim.events).toBe(4);
  });

  it('throws SimLimitError when eventsMax events have run and more are due', () => {
    const sim = new Simulator(1, 0);
    const loop: Handler = { onEvent: () => sim.schedule(1, loop) };
    sim.schedule(0, loop);
    let error: unknown;
    try {
      sim.run({ untilMs: 1_000, eventsMax: 25 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimLimitError);
    expect((error as SimLimitError).limit).toBe('eventsMax');
    expect((error as SimLimitError).value).toBe(25);
    expect((error as SimLimitError).message).toMatch(/eventsMax=25/);
    expect(sim.events).toBe(25);
    expect(sim.nowMs).toBe(24);
  });

  it('does not throw when exactly eventsMax events exist, or the rest are after untilMs', () => {
    const sim = new Simulator(1, 0);
    for (let t = 1; t <= 5; t++) sim.call(t, () => {});
    sim.call(1_000, () => {});
    expect(sim.run({ untilMs: 500, eventsMax: 5 })).toBe('until');
    expect(sim.events).toBe(5);
    const sim2 = new Simulator(1, 0);
    for (let t = 1; t <= 5; t++) sim2.call(t, () => {});
    expect(sim2.run({ untilMs: 500, eventsMax: 5 })).toBe('empty');
  });

  it('stop() ends the run after the current event; the next run resumes', () => {
    const sim = new Simulator(1, 0);
    const ran: number[] = [];
    sim.call(10, () => ran.push(10));
    sim.call(20, () => {
      ran.push(20);
      sim.stop();
    });
    sim.call(20, () => ran.push(21));
    sim.call(30, () => ran.push(30));
    expect(sim.run({ untilMs: 100 })).toBe('stopped');
    expect(ran).toEqual([10, 20]);
    expect(sim.nowMs).toBe(20);
    expect(sim.pending).toBe(2);
    expect(sim.run({ untilMs: 100 })).toBe('empty');
    expect(ran).toEqual([10, 20, 21, 30]);
  });
});
