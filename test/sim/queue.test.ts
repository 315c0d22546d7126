// EventQueue against a naive reference: random push / cancel / pop / popUntil / peek sequences
// must pop in exactly (time, seq) order, with checkInvariant() after every step. Times are
// drawn to hit both tiers (wheel and heap), the wheel's edge, wrap-around, ties, fractional
// times and times before the cursor.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, SimAssertionError } from '../../src/sim/index.js';

interface RefEvent {
  timeMs: number;
  seq: number;
  id: number;
  kind: number;
  arg: number;
  payload: string;
}

/** The obvious implementation: a list, scanned for the smallest (time, seq). */
class Reference {
  private events: RefEvent[] = [];
  private nextSeq = 0;

  push(e: Omit<RefEvent, 'seq'>): void {
    this.events.push({ ...e, seq: this.nextSeq++ });
  }

  reserve(): number {
    return this.nextSeq++;
  }

  pushReserved(e: RefEvent): void {
    this.events.push(e);
  }

  private minIndex(): number {
    let best = -1;
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i]!;
      const b = this.events[best];
      if (!b || e.timeMs < b.timeMs || (e.timeMs === b.timeMs && e.seq < b.seq)) best = i;
    }
    return best;
  }

  peek(): RefEvent | undefined {
    return this.events[this.minIndex()];
  }

  pop(): RefEvent | undefined {
    const i = this.minIndex();
    return i < 0 ? undefined : this.events.splice(i, 1)[0];
  }

  cancel(id: number): boolean {
    const i = this.events.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }

  get size(): number {
    return this.events.length;
  }
}

/** Offsets from the latest popped time, chosen to reach every path of the queue. */
const offsetMs = fc.oneof(
  fc.integer({ min: 0, max: 3 }), // ties
  fc.integer({ min: 0, max: 2_000 }), // near: the wheel
  // the wheel's edge (its span is 2^17 ms; neighbouring powers in case it changes)
  fc
    .constantFrom(2 ** 15, 2 ** 16, 2 ** 17, 2 ** 18)
    .chain((e) => fc.integer({ min: e - 6, max: e + 6 })),
  fc.integer({ min: 0, max: 10_000_000 }), // far: the heap, later the wheel after wrap
  fc.double({ min: 0, max: 5_000, noNaN: true }), // fractional: the heap
  fc.integer({ min: -2_000, max: -1 }), // before the cursor: the heap
);

type Op =
  | { op: 'push'; offsetMs: number; kind: number }
  | { op: 'pop' }
  | { op: 'popUntil'; offsetMs: number }
  | { op: 'cancel'; pick: number }
  | { op: 'peek' }
  | { op: 'reserve' }
  | { op: 'pushReserved'; offsetMs: number; pick: number };

/**
 * Offsets for the coarse wheel (epochs of 2^14 ms, 2^12 of them past the fine wheel's end):
 * talk-like durations, epoch boundaries, the coarse wheel's far edge (2^17 + 2^26 ms from an
 * epoch start), and sparse events, so that the fine wheel empties and refills from the coarse one.
 */
const farOffsetMs = fc.oneof(
  fc.integer({ min: 0, max: 3 }), // ties
  fc.integer({ min: 100_000, max: 900_000 }), // talk ends: mostly past the fine wheel
  fc
    .integer({ min: 1, max: 40 })
    .chain((k) => fc.integer({ min: k * 2 ** 14 - 3, max: k * 2 ** 14 + 3 })), // epoch edges
  fc
    .constantFrom(2 ** 17 + 2 ** 26, 2 ** 26)
    .chain((e) => fc.integer({ min: e - 2 ** 15, max: e + 2 ** 15 })), // the coarse wheel's end
  fc.integer({ min: 0, max: 80_000_000 }), // anywhere in (or just past) the coarse wheel
  fc.double({ min: 100_000, max: 900_000, noNaN: true }), // fractional: the heap
);

const opArb = (offset: fc.Arbitrary<number>): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('push' as const),
        offsetMs: offset,
        kind: fc.integer({ min: 0, max: 9 }),
      }),
    },
    { weight: 3, arbitrary: fc.constant({ op: 'pop' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('popUntil' as const), offsetMs: offset }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ op: 'peek' as const }) },
    { weight: 2, arbitrary: fc.constant({ op: 'reserve' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('pushReserved' as const),
        offsetMs: offset,
        pick: fc.nat(),
      }),
    },
  );

function runOps(ops: Op[], checkEvery = 1): void {
  const q = new EventQueue<string>(16); // small, so that the slot arrays grow
  const ref = new Reference();
  const ids: number[] = []; // every id handed out, pending or not
  const reserved: number[] = []; // sequence numbers reserved and not used yet
  let lastMs = 0;
  let n = 0;
  const expectPopped = (e: RefEvent) => {
    expect([q.poppedTimeMs, q.poppedKind, q.poppedArg, q.poppedPayload]).toEqual([
      e.timeMs,
      e.kind,
      e.arg,
      e.payload,
    ]);
    lastMs = Math.max(lastMs, e.timeMs);
  };
  ops.forEach((o, step) => {
    switch (o.op) {
      case 'push': {
        const timeMs = Math.max(0, Math.floor(lastMs) + o.offsetMs);
        const payload = `e${n}`;
        const arg = n++ * 0.5;
        const id = q.push(timeMs, payload, o.kind, arg);
        expect(ids).not.toContain(id);
        ids.push(id);
        ref.push({ timeMs, id, kind: o.kind, arg, payload });
        break;
      }
      case 'pop': {
        const e = ref.pop();
        expect(q.pop()).toBe(e !== undefined);
        if (e) expectPopped(e);
        break;
      }
      case 'popUntil': {
        const untilMs = Math.floor(lastMs) + o.offsetMs;
        const head = ref.peek();
        const due = head !== undefined && head.timeMs <= untilMs;
        expect(q.popUntil(untilMs)).toBe(due);
        if (due) expectPopped(ref.pop()!);
        break;
      }
      case 'cancel': {
        if (ids.length === 0) return;
        const id = ids[o.pick % ids.length]!;
        expect(q.cancel(id)).toBe(ref.cancel(id));
        break;
      }
      case 'peek':
        expect(q.peekTimeMs()).toBe(ref.peek()?.timeMs ?? Infinity);
        break;
      case 'reserve': {
        const seq = q.reserve();
        expect(seq).toBe(ref.reserve());
        reserved.push(seq);
        break;
      }
      case 'pushReserved': {
        if (reserved.length === 0) return;
        const seq = reserved.splice(o.pick % reserved.length, 1)[0]!;
        const timeMs = Math.max(0, Math.floor(lastMs) + o.offsetMs);
        const payload = `r${n}`;
        const arg = n++ * 0.5;
        const id = q.pushReserved(timeMs, seq, payload, 7, arg);
        expect(ids).not.toContain(id);
        ids.push(id);
        ref.pushReserved({ timeMs, seq, id, kind: 7, arg, payload });
        break;
      }
    }
    if (step % checkEvery === 0) q.checkInvariant();
    expect(q.size).toBe(ref.size);
  });
  // Drain: everything left comes out in reference order.
  for (let e = ref.pop(); e; e = ref.pop()) {
    expect(q.pop()).toBe(true);
    expectPopped(e);
  }
  expect(q.pop()).toBe(false);
  q.checkInvariant();
}

/** A small deterministic generator for scripted op sequences: rand(m) is in [0, m). */
function lcg(seed: number): (m: number) => number {
  let x = seed;
  return (m) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % m;
  };
}

describe('EventQueue', () => {
  it('pops random push/cancel/pop sequences in exactly (time, seq) order', () => {
    fc.assert(
      fc.property(fc.array(opArb(offsetMs), { maxLength: 150, size: 'max' }), (ops) => runOps(ops)),
      { numRuns: 100 },
    );
  });

  it('pops far (coarse-wheel) events mixed with near, fractional, cancelled and reserved ones in exactly (time, seq) order', () => {
    // Budget: ~1 s. checkInvariant scans the fine wheel's 4,096 bitmap words at every step.
    fc.assert(
      fc.property(fc.array(opArb(farOffsetMs), { maxLength: 150, size: 'max' }), (ops) =>
        runOps(ops),
      ),
      { numRuns: 100 },
    );
  });

  it('keeps (time, seq) order for a call-centre-like mix: talk ends past the fine wheel, patience timers reserved and cancelled', () => {
    // Arrivals every ~2 s schedule a talk end 60-900 s on (most beyond the fine wheel's 131 s),
    // reserve a patience place and push it 300 s on for a third of them, cancelling most later;
    // a quiet stretch empties the fine wheel so that it refills from the coarse one.
    const ops: Op[] = [];
    const rand = lcg(987654);
    for (let i = 0; i < 1_200; i++) {
      ops.push({ op: 'push', offsetMs: rand(4_000), kind: 0 }); // next arrival
      ops.push({ op: 'push', offsetMs: 60_000 + rand(840_000), kind: 3 }); // talk end
      ops.push({ op: 'reserve' });
      if (rand(3) === 0) ops.push({ op: 'pushReserved', offsetMs: 300_000, pick: rand(50) });
      if (rand(2) === 0) ops.push({ op: 'cancel', pick: rand(1 << 30) });
      ops.push({ op: 'pop' });
      if (i % 300 === 299) for (let k = 0; k < 400; k++) ops.push({ op: 'pop' }); // drain
      if (rand(10) === 0) ops.push({ op: 'popUntil', offsetMs: rand(200_000) });
      if (rand(10) === 0) ops.push({ op: 'peek' });
    }
    runOps(ops, 100);
  });

  it('keeps (time, seq) order over many wheel revolutions, mixing wheel and heap', () => {
    // A hold model with delays up to ~1.5 wheel spans, checked against the reference.
    const ops: Op[] = [];
    const rand = lcg(12345);
    for (let i = 0; i < 40; i++) ops.push({ op: 'push', offsetMs: rand(200_000), kind: i % 10 });
    for (let i = 0; i < 3_000; i++) {
      ops.push({ op: 'pop' });
      ops.push({
        op: 'push',
        offsetMs: rand(4) === 0 ? rand(200_000) : rand(70_000),
        kind: i % 10,
      });
    }
    runOps(ops, 20);
  });

  it("cancels pending events only, and a stale id never cancels the slot's next event", () => {
    const q = new EventQueue<string>(16);
    const a = q.push(10, 'a', 0, 0);
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false); // double cancel
    const b = q.push(20, 'b', 0, 0); // reuses a's slot
    expect(b).not.toBe(a);
    expect(q.cancel(a)).toBe(false); // stale id, same slot
    expect(q.pop()).toBe(true);
    expect(q.poppedPayload).toBe('b');
    expect(q.cancel(b)).toBe(false); // already ran
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(2 ** 40 + 3)).toBe(false);
    q.checkInvariant();
  });

  it("a queue built after another's release (its wheel reused, events still pending) starts empty and pops in order", () => {
    // Budget: a few ms. The released wheel's heads are left as they were: only its bitmaps
    // are cleared, so the next queue must never read a bucket the bitmap does not mark.
    const first = new EventQueue<string>(16);
    for (let t = 0; t < 200; t += 7) first.push(t, `old${t}`, 0, 0);
    first.releaseWheel();
    const q = new EventQueue<string>(16);
    expect(q.size).toBe(0);
    q.checkInvariant();
    expect(q.pop()).toBe(false);
    q.push(14, 'b', 0, 0); // a bucket the old queue used
    q.push(3, 'a', 0, 0);
    q.push(14, 'c', 0, 0);
    q.checkInvariant();
    const popped: string[] = [];
    while (q.pop()) popped.push(q.poppedPayload!);
    expect(popped).toEqual(['a', 'b', 'c']);
  });

  it('moves an event pushed past the wheels into them as their window reaches it, in (time, seq) order with events pushed there later', () => {
    // Budget: a few ms. A fault 20 h ahead lies past the coarse wheel (~18.7 h): the heap takes
    // it. Hourly events walk the cursor on; once the window covers 20 h, the event leaves the
    // heap (the heap's size shows it), and it still pops before a later push at the same time.
    const H = 3_600_000;
    const q = new EventQueue<string>(16);
    q.push(20 * H, 'fault', 0, 0);
    q.push(20 * H + 0.5, 'fractional', 0, 0); // stays in the heap: not whole ms
    const heapN = () => (q as unknown as { heapN: number }).heapN;
    expect(heapN()).toBe(2);
    const popped: string[] = [];
    for (let h = 1; h <= 19; h++) {
      q.push(h * H, `tick${h}`, 0, 0);
      expect(q.pop()).toBe(true);
      popped.push(q.poppedPayload!);
      q.checkInvariant();
    }
    expect(heapN()).toBe(1); // the fault moved into the wheels; the fractional one did not
    q.push(20 * H, 'same-time-later', 0, 0);
    q.push(20 * H - 1, 'just-before', 0, 0);
    q.checkInvariant();
    while (q.pop()) popped.push(q.poppedPayload!);
    expect(popped.slice(19)).toEqual(['just-before', 'fault', 'same-time-later', 'fractional']);
  });

  it('reports a broken structure through checkInvariant', () => {
    const q = new EventQueue<string>(16);
    q.push(5, 'x', 0, 0);
    q.push(1e9, 'far', 0, 0); // heap
    q.checkInvariant();
    // Corrupt a private array the way a bug would: the wheel bucket loses its head.
    (q as unknown as { head: Int32Array }).head[5] = -1;
    expect(() => q.checkInvariant()).toThrow(SimAssertionError);
  });
});
