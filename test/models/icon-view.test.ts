// The IDB's view of calls (src/models/icon/store.ts, stream.ts): applied once per source as
// records are booked, each IDB keeping on its own only the calls whose records it did not all
// store. Checked against the plain definition — each IDB applies the records it stores, one by
// one at its flush, to its own sets — for two ICONs of one source under random records (any
// event on any identity: serials near and far, aliases), random reception, flushes, crashes
// (accumulator lost), restarts (calls closed), IDB outages and a small persistent queue.
// Budget: < 2 s.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdbStore } from '../../src/models/icon/store.js';
import { CALL_OPEN, PARTY_OPEN, RecordStream } from '../../src/models/icon/stream.js';
import { SourceEvent } from '../../src/models/telephony/telephony.js';

/** The plain definition: what IdbStore did record by record before the shared view. */
class Reference {
  readonly calls = new Set<number>();
  readonly parties = new Set<number>();
  partial = 0;
  ad = 0;
  closedAtRestart = 0;
  private acc: number[] = [];
  private receiving = false;
  pq = 0;

  constructor(private readonly pqMax: number) {}

  record(seq: number): void {
    if (this.receiving) this.acc.push(seq);
  }
  open(): void {
    this.receiving = true;
  }
  close(): void {
    this.receiving = false;
  }
  flush(evs: number[], ids: number[], idbUp: boolean): number {
    let dropped = 0;
    for (const s of this.acc) {
      if (!(idbUp && this.pq === 0)) {
        if (this.pq >= this.pqMax) {
          dropped++;
          continue;
        }
        this.pq++;
      }
      this.apply(evs[s]!, ids[s]!);
    }
    this.acc = [];
    return dropped;
  }
  lose(): void {
    this.acc = [];
  }
  drain(idbUp: boolean): void {
    if (idbUp) this.pq = 0;
  }
  restart(): void {
    this.closedAtRestart += this.calls.size;
    this.calls.clear();
    this.parties.clear();
  }
  private openCall(id: number): void {
    if (this.calls.has(id)) return;
    this.calls.add(id);
    this.partial++;
  }
  private apply(ev: number, id: number): void {
    switch (ev) {
      case SourceEvent.CallCreated:
        this.calls.add(id);
        break;
      case SourceEvent.AttachedData:
        this.ad++;
        this.openCall(id);
        break;
      case SourceEvent.Ringing:
      case SourceEvent.Established:
        this.openCall(id);
        break;
      case SourceEvent.PartyAdded:
        this.openCall(id);
        this.parties.add(id);
        break;
      case SourceEvent.PartyRemoved:
        this.parties.delete(id);
        break;
      case SourceEvent.Released:
        if (!this.calls.delete(id)) this.partial++;
        break;
      default:
        break;
    }
  }
}

type Op =
  | { op: 'rec'; n: number; ev: number; k: number }
  | { op: 'open' | 'close' | 'flush' | 'crash' | 'restart' | 'idb'; icon: number };

const key = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 2, arbitrary: fc.integer({ min: 5_000, max: 5_030 }) },
  { weight: 1, arbitrary: fc.integer({ min: -8, max: -1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 20_010 }) },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      op: fc.constant('rec' as const),
      n: fc.integer({ min: 1, max: 400 }),
      ev: fc.integer({ min: 0, max: 9 }),
      k: key,
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      op: fc.constantFrom('open' as const, 'close' as const, 'flush' as const),
      icon: fc.integer({ min: 0, max: 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constantFrom('crash' as const, 'restart' as const, 'idb' as const),
      icon: fc.integer({ min: 0, max: 1 }),
    }),
  },
);

const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);

describe('IdbStore: the view shared by the ICONs of a source', () => {
  it('holds what applying each stored record to each IDB would (open calls and parties, counters)', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 80 }),
        fc.integer({ min: 1, max: 600 }),
        (ops, pqMax) => {
          const stream = new RecordStream();
          const stores = [0, 1].map(() => new IdbStore('icon', 10_000, pqMax, stream));
          const refs = [0, 1].map(() => new Reference(pqMax));
          const evs: number[] = [];
          const ids: number[] = [];
          let t = 0;
          for (const o of ops) {
            if (o.op === 'rec') {
              // A burst of records: the first as drawn, then neighbours (ring growth, slides).
              for (let j = 0; j < o.n; j++) {
                const ev = (o.ev + j * 3) % 10;
                const k = j === 0 ? o.k : o.k + (j % 7);
                const s = stream.push(ev as SourceEvent, k, t++);
                evs.push(ev);
                ids.push(k);
                for (const r of refs) r.record(s);
              }
              continue;
            }
            const st = stores[o.icon]!;
            const ref = refs[o.icon]!;
            switch (o.op) {
              case 'open':
                st.open(stream.seq);
                ref.open();
                break;
              case 'close':
                st.close(stream.seq);
                ref.close();
                break;
              case 'flush':
                expect(st.flush()).toBe(ref.flush(evs, ids, st.idbUp));
                break;
              case 'crash':
                st.close(stream.seq);
                ref.close();
                st.loseAccumulator();
                ref.lose();
                break;
              case 'restart':
                st.close(stream.seq);
                ref.close();
                st.loseAccumulator();
                ref.lose();
                st.closeCallsAtRestart();
                ref.restart();
                break;
              case 'idb':
                st.idbUp = !st.idbUp;
                st.drain();
                ref.drain(st.idbUp);
                break;
            }
          }
          for (let i = 0; i < 2; i++) {
            const st = stores[i]!;
            const ref = refs[i]!;
            st.flush();
            ref.flush(evs, ids, st.idbUp);
            const calls: number[] = [];
            const parties: number[] = [];
            st.forEachOpen(CALL_OPEN, (k) => calls.push(k));
            st.forEachOpen(PARTY_OPEN, (k) => parties.push(k));
            expect(sorted(calls)).toEqual(sorted(ref.calls));
            expect(sorted(parties)).toEqual(sorted(ref.parties));
            expect([st.callsPartial, st.attachedDataStored, st.callsClosedAtRestart]).toEqual([
              ref.partial,
              ref.ad,
              ref.closedAtRestart,
            ]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('settles the records no ICON stored before the ring forgets them, and marks what followed', () => {
    // The ICON misses the creation of 100 calls, then stores their releases among enough agent
    // records to fill the ring (1,024): the ring settles the missed creations while the releases
    // wait in the accumulator, so the flush must go record by record over them.
    const stream = new RecordStream();
    const st = new IdbStore('icon', 10_000, 10, stream);
    for (let k = 1; k <= 100; k++) stream.push(SourceEvent.CallCreated, k, k);
    st.open(stream.seq);
    for (let k = 1; k <= 100; k++) stream.push(SourceEvent.Released, k, 100 + k);
    for (let a = 0; a < 1_000; a++) stream.push(SourceEvent.AgentState, a, 200 + a);
    st.flush();
    let open = 0;
    st.forEachOpen(CALL_OPEN, () => open++);
    // Releases of calls the IDB never saw begun: 100 partial records, no call open.
    expect([open, st.callsPartial]).toEqual([0, 100]);
  });
});

describe('RecordStream.tryAppend: the fast path every emit asks first', () => {
  /** A stream released for appends below record 10, ADDP 5 s, a quiet cycle due at 60 s. */
  function open(): RecordStream {
    const stream = new RecordStream();
    stream.addpMs = 5_000;
    stream.push(SourceEvent.CallCreated, 1, 1_000);
    stream.setAttn(10);
    stream.release();
    stream.dueMs = 60_000;
    return stream;
  }

  it('appends a record within the ADDP timeout, below attn and before the cycle ends', () => {
    const stream = open();
    expect(stream.tryAppend(SourceEvent.AttachedData, 1, 5_999)).toBe(true);
    expect([stream.seq, stream.lastMs]).toEqual([2, 5_999]);
  });

  it('refuses, and leaves the stream as it was, at an ADDP gap, attn, the cycle end or a hold', () => {
    const cases: [string, (s: RecordStream) => void, number][] = [
      ['an ADDP timeout after the record before', () => {}, 6_000],
      ['the cycle ends', (s) => (s.dueMs = 2_000), 2_000],
      ['attn reached', (s) => s.setAttn(1), 2_000],
      ['held (the primary may have changed)', (s) => s.hold(), 2_000],
    ];
    for (const [what, change, atMs] of cases) {
      const stream = open();
      change(stream);
      expect(stream.tryAppend(SourceEvent.AttachedData, 1, atMs), what).toBe(false);
      expect([stream.seq, stream.lastMs], what).toEqual([1, 1_000]);
    }
  });

  it('appends two records of one call both or neither (the second would reach attn: neither)', () => {
    const stream = open();
    expect(stream.tryAppend2(SourceEvent.Established, 1, SourceEvent.PartyAdded, 1, 2_000)).toBe(
      true,
    );
    expect([stream.seq, stream.lastMs]).toEqual([3, 2_000]);
    stream.setAttn(4);
    expect(stream.tryAppend2(SourceEvent.PartyRemoved, 1, SourceEvent.Released, 1, 3_000)).toBe(
      false,
    );
    expect(stream.tryAppend(SourceEvent.PartyRemoved, 1, 3_000)).toBe(true);
    expect([stream.seq, stream.lastMs]).toEqual([4, 3_000]);
  });

  it('appends an agent state record and its call record, each with its own identity', () => {
    const stream = open();
    const s = stream.seq;
    expect(stream.tryAppend2(SourceEvent.AgentState, 7, SourceEvent.Ringing, 1, 2_000)).toBe(true);
    const at = (k: number) => ((s + k) & (stream.rid.length / 2 - 1)) * 2;
    expect([stream.rid[at(0)], stream.rid[at(0) + 1]]).toEqual([SourceEvent.AgentState, 7]);
    expect([stream.rid[at(1)], stream.rid[at(1) + 1]]).toEqual([SourceEvent.Ringing, 1]);
  });

  it('appends a call answered at once: the owed agent state, ring, answer and party, or none', () => {
    const stream = open();
    const s = stream.seq;
    expect(stream.tryAppendAnswered(true, 7, 1, 2_000)).toBe(true);
    expect(stream.tryAppendAnswered(false, 8, 2, 2_000)).toBe(true);
    const at = (k: number) => ((s + k) & (stream.rid.length / 2 - 1)) * 2;
    const recs = Array.from({ length: stream.seq - s }, (_, k) => [
      stream.rid[at(k)],
      stream.rid[at(k) + 1],
    ]);
    expect(recs).toEqual([
      [SourceEvent.AgentState, 7],
      [SourceEvent.Ringing, 1],
      [SourceEvent.Established, 1],
      [SourceEvent.PartyAdded, 1],
      [SourceEvent.Ringing, 2],
      [SourceEvent.Established, 2],
      [SourceEvent.PartyAdded, 2],
    ]);
    expect(stream.lastMs).toBe(2_000);
    // The last of four records would reach attn: none is appended (three would fit).
    stream.setAttn(stream.seq + 3);
    expect(stream.tryAppendAnswered(true, 7, 3, 3_000)).toBe(false);
    expect([stream.seq, stream.lastMs]).toEqual([s + 7, 2_000]);
    expect(stream.tryAppendAnswered(false, 7, 3, 3_000)).toBe(true);
  });
});
