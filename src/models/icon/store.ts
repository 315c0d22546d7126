// What one ICON does with the records it receives (DOMAIN §8, seed 001): the pipeline in-memory
// accumulator → persistent queue → IDB, and the IDB's view of calls (open call and party
// records) from which stuck calls are counted. The connection side (which records arrive) is
// icon.ts; this file never looks at the network or the source pair.
// Records are appended to typed arrays as they arrive and handled in bulk at a flush: a run of
// consecutive sequence numbers goes to the IDB (or the persistent queue) as one range.
// Leaves out: DB Server↔RDBMS failures, and the IDB write rate (a reachable IDB keeps up).

import { assert, IntSet, type Stream } from '../../sim/index.js';
import { SourceEvent } from '../telephony/telephony.js';
import { RangeFifo, SeqRanges } from './intervals.js';

export class IdbStore {
  // ---- in-memory accumulator (bounded by acc-queue-size: preallocated) ----
  private readonly accSeq: Float64Array;
  private readonly accEv: Uint8Array;
  private readonly accId: Float64Array;
  /** Records in the accumulator. */
  accN = 0;

  // ---- persistent queue and IDB ----
  /** The IDB is reachable (idb-down / idb-up). */
  idbUp = true;
  /** Records in the persistent queue (survive an ICON restart; written when the IDB is up). */
  readonly pq = new RangeFifo();
  /** Source sequence numbers written to the IDB. */
  readonly written = new SeqRanges();

  // ---- the IDB's view of calls (what the records that reach it say) ----
  /** Calls with an open call record (call serials). */
  readonly calls = new IntSet();
  /** Calls with an open party record (one agent party per call in this model). */
  readonly parties = new IntSet();

  // ---- counters ----
  lostInMemory = 0;
  lostOverflow = 0;
  /** Records of the persistent queue lost because a restart failed to restore it. */
  lostPqRestore = 0;
  attachedDataStored = 0;
  callsClosedAtRestart = 0;
  /** Call records begun without their creation (missing transitions). */
  callsPartial = 0;

  constructor(
    /** Who owns the store, for messages. */
    private readonly label: string,
    private readonly accSize: number,
    private readonly pqMax: number,
  ) {
    assert(
      Number.isInteger(accSize) && accSize >= 1,
      () => `acc-queue-size must be a whole number >= 1, got ${accSize}`,
    );
    this.accSeq = new Float64Array(accSize);
    this.accEv = new Uint8Array(accSize);
    this.accId = new Float64Array(accSize);
  }

  /** Appends one record to the accumulator; returns how many it holds now. */
  append(seq: number, ev: SourceEvent, id: number): number {
    const n = this.accN;
    this.accSeq[n] = seq;
    this.accEv[n] = ev;
    this.accId[n] = id;
    return (this.accN = n + 1);
  }

  /** The accumulator is full (acc-queue-size): it must be flushed now. */
  get accFull(): boolean {
    return this.accN >= this.accSize;
  }

  /**
   * The accumulator goes to the persistent queue (or straight to a reachable IDB with nothing
   * queued); records beyond the persistent queue's capacity are lost. Returns how many were.
   * In bulk: each run of consecutive sequence numbers is one range for the IDB or the queue.
   */
  flush(): number {
    const n = this.accN;
    const seqs = this.accSeq;
    let dropped = 0;
    for (let i = 0; i < n;) {
      const lo = seqs[i]!;
      let j = i + 1;
      while (j < n && seqs[j] === lo + (j - i)) j++;
      const k = j - i;
      if (this.idbUp && this.pq.count === 0) {
        this.applyRange(i, j);
        this.written.addRange(lo, lo + k);
      } else {
        const take = Math.min(k, Math.max(0, this.pqMax - this.pq.count));
        this.applyRange(i, i + take);
        this.pq.pushRange(lo, lo + take);
        dropped += k - take; // persistent queue full: those records are lost
      }
      i = j;
    }
    this.lostOverflow += dropped;
    this.accN = 0;
    return dropped;
  }

  /** The process is gone: the accumulator is lost. Returns how many records it held. */
  loseAccumulator(): number {
    const n = this.accN;
    this.lostInMemory += n;
    this.accN = 0;
    return n;
  }

  /**
   * At restart the ICON reloads its persistent queue from disk; with pq-restore-failure-probability
   * that fails (seed 001: "possible failure in restoring queued data from the persistent queue")
   * and every queued record is lost for this IDB. One draw per restart, from the ICON's stream.
   * Returns how many records were lost.
   */
  restorePq(rng: Stream, failP: number): number {
    const failed = rng.next() < failP;
    if (!failed || this.pq.count === 0) return 0;
    const n = this.pq.count;
    this.lostPqRestore += n;
    this.pq.clear();
    return n;
  }

  /** At restart ICON closes every call still marked active (they end at an unknown time). */
  closeCallsAtRestart(): void {
    this.callsClosedAtRestart += this.calls.size;
    this.calls.clear();
    this.parties.clear();
  }

  /** The IDB writer catches up: everything queued is written (a reachable IDB keeps up). */
  drain(): void {
    if (this.idbUp) this.pq.drainInto(this.written);
  }

  /** What the accumulator's records [from, to) do to the IDB's call and party records. */
  private applyRange(from: number, to: number): void {
    const evs = this.accEv;
    const ids = this.accId;
    const calls = this.calls;
    // A call known to have an open record: the one the previous record opened or found open
    // (a call's records come in pairs: created + attached data, established + party added).
    let open = NaN;
    for (let i = from; i < to; i++) {
      const id = ids[i]!;
      const ev = evs[i]! as SourceEvent;
      switch (ev) {
        case SourceEvent.CallCreated:
          calls.add(id);
          open = id;
          break;
        case SourceEvent.AttachedData:
          this.attachedDataStored++;
          if (id !== open) this.openCall(id);
          open = id;
          break;
        case SourceEvent.Ringing:
        case SourceEvent.Established:
          if (id !== open) this.openCall(id);
          open = id;
          break;
        case SourceEvent.PartyAdded:
          if (id !== open) this.openCall(id);
          open = id;
          this.parties.add(id);
          break;
        case SourceEvent.PartyRemoved:
          this.parties.delete(id);
          break;
        case SourceEvent.Released:
          // A release of a call never seen begun: a partial record. The party record stays open
          // if its removal was lost (a stuck party).
          if (!calls.delete(id)) this.callsPartial++;
          open = NaN;
          break;
        case SourceEvent.AgentLogin:
        case SourceEvent.AgentState:
        case SourceEvent.AgentLogout:
          break;
        default:
          assert(false, `ICON ${this.label}: unknown source event ${String(ev)}`);
      }
    }
  }

  /** A record of a call: its call record opens if it was not (a partial record). */
  private openCall(id: number): void {
    if (this.calls.has(id)) return;
    this.calls.add(id);
    this.callsPartial++;
  }

  /** Everything that reached the IDB or waits safely in its persistent queue. */
  kept(): SeqRanges {
    const out = new SeqRanges();
    out.append(this.written);
    out.append(this.pq.toRanges());
    return out;
  }
}
