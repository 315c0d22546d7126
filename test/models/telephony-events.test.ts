// TelephonyEvents asks a pool's record lane first (issue 21) and everything else only when the
// lane refuses: a record the lane takes must be one the sink would have been given, i.e. only
// while the pool has a primary in service and no observer listens to source events. These
// fakes stand in for the ICONs' stream and source log: the lane takes every record unless held
// or a quiet flush cycle is due (then only its roll takes the one record that ends the cycle),
// and a record that reaches the sink opens it again (as SourceLog.record releases the stream).
// Budget: < 50 ms.

import { describe, expect, test } from 'vitest';
import type { SimContext } from '../../src/sim/index.js';
import {
  SourceEvent,
  TelephonyEvents,
  type RecordLane,
  type RecordSink,
} from '../../src/models/telephony/observer.js';

type Rec = [number, SourceEvent, number];

class FakeLane implements RecordLane {
  held = false;
  /** A quiet flush cycle is due: the next record ends it (tryRoll). */
  due = false;
  readonly taken: Rec[] = [];
  readonly rolled: Rec[] = [];
  private refuses(): boolean {
    return this.held || this.due;
  }
  tryRoll(ev: SourceEvent, id: number): boolean {
    if (this.held || !this.due) return false;
    this.due = false;
    this.rolled.push([0, ev, id]);
    return true;
  }
  tryAppend(ev: SourceEvent, id: number): boolean {
    if (this.refuses()) return false;
    this.taken.push([0, ev, id]);
    return true;
  }
  tryAppend2(ev1: SourceEvent, id1: number, ev2: SourceEvent, id2: number): boolean {
    if (this.refuses()) return false;
    this.taken.push([0, ev1, id1], [0, ev2, id2]);
    return true;
  }
  tryAppendAnswered(owed: boolean, a: number, serial: number): boolean {
    if (this.refuses()) return false;
    if (owed) this.taken.push([0, SourceEvent.AgentState, a]);
    this.taken.push(
      [0, SourceEvent.Ringing, serial],
      [0, SourceEvent.Established, serial],
      [0, SourceEvent.PartyAdded, serial],
    );
    return true;
  }
  hold(): void {
    this.held = true;
  }
}

class FakeSink implements RecordSink {
  readonly stream = new FakeLane();
  readonly slow: Rec[] = [];
  record(ev: SourceEvent, id: number): void {
    this.slow.push([0, ev, id]);
    this.stream.held = false;
  }
}

function setup(): { events: TelephonyEvents; inService: Uint8Array; sink: FakeSink } {
  const inService = new Uint8Array([1, 1]);
  const events = new TelephonyEvents(inService, { nowMs: 0 } as SimContext);
  const sink = new FakeSink();
  events.sink(1, sink);
  return { events, inService, sink };
}

describe('TelephonyEvents: the record lane', () => {
  test('the first record goes through the sink, which opens the lane for the next ones', () => {
    const { events, sink } = setup();
    events.emit(1, SourceEvent.AgentState, 7);
    events.emit(1, SourceEvent.AgentState, 8);
    events.emit2(1, SourceEvent.CallCreated, 3, SourceEvent.AttachedData, 3);
    expect(sink.slow).toEqual([[0, SourceEvent.AgentState, 7]]);
    expect(sink.stream.taken).toEqual([
      [0, SourceEvent.AgentState, 8],
      [0, SourceEvent.CallCreated, 3],
      [0, SourceEvent.AttachedData, 3],
    ]);
  });

  test('an agent state and its call record go out together, each with its own identity', () => {
    const { events, sink } = setup();
    events.emit(1, SourceEvent.AgentState, 7); // opens the lane
    events.emit2(1, SourceEvent.AgentState, 7, SourceEvent.Ringing, 3);
    sink.stream.held = true; // refused: two emits, in order
    events.emit2(1, SourceEvent.AgentState, 8, SourceEvent.Ringing, 4);
    expect(sink.stream.taken).toEqual([
      [0, SourceEvent.AgentState, 7],
      [0, SourceEvent.Ringing, 3],
      [0, SourceEvent.Ringing, 4],
    ]);
    expect(sink.slow).toEqual([
      [0, SourceEvent.AgentState, 7],
      [0, SourceEvent.AgentState, 8],
    ]);
  });

  test('a call answered at once: one take of the lane, or the same records one emit at a time', () => {
    const { events, sink } = setup();
    events.emit(1, SourceEvent.AgentState, 7); // opens the lane
    events.emitAnswered(1, true, 7, 3);
    events.emitAnswered(1, false, 8, 4);
    expect(sink.stream.taken).toEqual([
      [0, SourceEvent.AgentState, 7],
      [0, SourceEvent.Ringing, 3],
      [0, SourceEvent.Established, 3],
      [0, SourceEvent.PartyAdded, 3],
      [0, SourceEvent.Ringing, 4],
      [0, SourceEvent.Established, 4],
      [0, SourceEvent.PartyAdded, 4],
    ]);
    // Refused: the agent's state and the ring as emit2 would give them (the first through the
    // sink, which opens the lane again), then the answer and the party through the lane.
    sink.stream.held = true;
    sink.stream.taken.length = 0;
    events.emitAnswered(1, true, 9, 5);
    expect(sink.slow.at(-1)).toEqual([0, SourceEvent.AgentState, 9]);
    expect(sink.stream.taken).toEqual([
      [0, SourceEvent.Ringing, 5],
      [0, SourceEvent.Established, 5],
      [0, SourceEvent.PartyAdded, 5],
    ]);
    // A pool with no primary in service: nothing.
    events.emitAnswered(0, true, 9, 6);
    expect(sink.slow.length + sink.stream.taken.length).toBe(2 + 3);
  });

  test('a record refused for a due flush cycle ends it through the lane, never the sink', () => {
    const { events, inService, sink } = setup();
    events.emit(1, SourceEvent.AgentState, 7); // opens the lane
    sink.stream.due = true;
    events.emit2(1, SourceEvent.PartyRemoved, 5, SourceEvent.Released, 5);
    sink.stream.due = true;
    events.emitAnswered(1, true, 8, 6);
    expect(sink.stream.rolled).toEqual([
      [0, SourceEvent.PartyRemoved, 5],
      [0, SourceEvent.AgentState, 8],
    ]);
    expect(sink.stream.taken).toEqual([
      [0, SourceEvent.Released, 5],
      [0, SourceEvent.Ringing, 6],
      [0, SourceEvent.Established, 6],
      [0, SourceEvent.PartyAdded, 6],
    ]);
    expect(sink.slow).toEqual([[0, SourceEvent.AgentState, 7]]);
    // Held (and out of service): no roll; the sink takes the record once the pool serves.
    sink.stream.held = true;
    sink.stream.due = true;
    inService[1] = 0;
    events.emit(1, SourceEvent.AgentState, 9);
    inService[1] = 1;
    events.emit(1, SourceEvent.AgentState, 10);
    expect(sink.stream.rolled.length).toBe(2);
    expect(sink.slow.at(-1)).toEqual([0, SourceEvent.AgentState, 10]);
  });

  test('a pool that lost its primary in service tells neither its lane nor its sink anything', () => {
    const { events, inService, sink } = setup();
    events.emit(1, SourceEvent.AgentState, 7); // opens the lane
    inService[1] = 0;
    events.serviceChanged(1);
    events.emit(1, SourceEvent.Released, 4);
    events.emit2(1, SourceEvent.PartyRemoved, 5, SourceEvent.Released, 5);
    expect(sink.slow).toEqual([[0, SourceEvent.AgentState, 7]]);
    expect(sink.stream.taken).toEqual([]);
    // Back in service: the next record goes through the sink again first.
    inService[1] = 1;
    events.serviceChanged(1);
    events.emit(1, SourceEvent.AgentState, 9);
    events.emit(1, SourceEvent.AgentState, 10);
    expect(sink.slow.at(-1)).toEqual([0, SourceEvent.AgentState, 9]);
    expect(sink.stream.taken).toEqual([[0, SourceEvent.AgentState, 10]]);
  });

  test('with an observer of source events, every record goes through the sink and the observer', () => {
    const { events, sink } = setup();
    const heard: Rec[] = [];
    events.add({ onSourceEvent: (pool, ev, id) => heard.push([pool, ev, id]) });
    events.emit(1, SourceEvent.AgentState, 7);
    events.emit(1, SourceEvent.AgentState, 8);
    events.emit2(1, SourceEvent.Established, 3, SourceEvent.PartyAdded, 3);
    events.emit(0, SourceEvent.AgentState, 1); // a pool with no sink: the observer only
    expect(sink.stream.taken).toEqual([]);
    expect(sink.slow.map((r) => r[2])).toEqual([7, 8, 3, 3]);
    expect(heard).toEqual([
      [1, SourceEvent.AgentState, 7],
      [1, SourceEvent.AgentState, 8],
      [1, SourceEvent.Established, 3],
      [1, SourceEvent.PartyAdded, 3],
      [0, SourceEvent.AgentState, 1],
    ]);
  });
  test('a pool nobody hears (no sink, no observer): its emits reach nothing until a sink is set', () => {
    const { events, sink } = setup();
    events.emit(0, SourceEvent.AgentState, 1);
    events.emit2(0, SourceEvent.CallCreated, 2, SourceEvent.AttachedData, 2);
    events.emitAnswered(0, true, 1, 2);
    expect(sink.slow.length + sink.stream.taken.length).toBe(0);
    // A sink for pool 0 set now hears it: the first record through the sink, the next by its lane.
    const sink0 = new FakeSink();
    events.sink(0, sink0);
    events.emit(0, SourceEvent.AgentState, 3);
    events.emitAnswered(0, false, 3, 4);
    expect(sink0.slow).toEqual([[0, SourceEvent.AgentState, 3]]);
    expect(sink0.stream.taken.map((r) => r[1])).toEqual([
      SourceEvent.Ringing,
      SourceEvent.Established,
      SourceEvent.PartyAdded,
    ]);
    expect(sink.slow.length + sink.stream.taken.length).toBe(0);
  });
});
