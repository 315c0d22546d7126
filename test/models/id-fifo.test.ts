// The FIFO of (id, generation) pairs behind the call queues (traffic/ring.ts): a power-of-two
// ring whose index wraps with a mask. Order through wrap-arounds and growth, against an array.
import { describe, expect, test } from 'vitest';
import { IdFifo } from '../../src/models/traffic/ring.js';

/** Pushes and shifts in a fixed pattern, checking every shift against a plain array. */
function exercise(fifo: IdFifo, steps: number): void {
  const model: [number, number][] = [];
  let next = 0;
  for (let i = 0; i < steps; i++) {
    // Mostly pushes early (growth with a wrapped head), mostly shifts late (drain across the wrap).
    const push = i < steps / 2 ? i % 3 !== 2 : i % 3 === 0;
    if (push) {
      fifo.push(next, next * 7 + 1);
      model.push([next, next * 7 + 1]);
      next++;
    } else {
      expect(fifo.shift()).toBe(model.length > 0);
      const head = model.shift();
      if (head !== undefined) expect([fifo.poppedId, fifo.poppedGen]).toEqual(head);
    }
    expect(fifo.length).toBe(model.length);
    if (model.length > 0) expect([fifo.peekId(), fifo.peekGen()]).toEqual(model[0]);
  }
}

describe('IdFifo', () => {
  test('first in, first out through wrap-arounds and growth', () => {
    exercise(new IdFifo(4), 400);
  });

  test('a capacity that is not a power of two is rounded up, and wraps the same', () => {
    const fifo = new IdFifo(5); // room for 8
    for (let i = 0; i < 6; i++) fifo.push(i, i);
    for (let i = 0; i < 5; i++) fifo.shift();
    // The head is at slot 5 of 8: these wrap past the end before the ring grows.
    for (let i = 6; i < 14; i++) fifo.push(i, i);
    const out: number[] = [];
    while (fifo.shift()) out.push(fifo.poppedId);
    expect(out).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
    exercise(new IdFifo(3), 200);
  });
});
