// What one ICON does with the records it receives (DOMAIN §8, seed 001): the pipeline in-memory
// accumulator → persistent queue → IDB, and the IDB's view of calls (open call and party
// records) from which stuck calls are counted. The connection side (which records arrive) is
// icon.ts; this file never looks at the network or the source pair.
// The accumulator holds ranges of the source's sequence numbers, not copies of records: while the
// ICON receives, its run stays open and the source's records join it with no work per ICON
// (stream.ts). At a flush each run goes to the IDB (or the persistent queue) as one range and its
// records are read from the source's ring.
// Leaves out: DB Server↔RDBMS failures, and the IDB write rate (a reachable IDB keeps up).

import { assert, type Stream } from '../../sim/index.js';
import { SourceEvent } from '../telephony/telephony.js';
import { RangeFifo, SeqRanges } from './intervals.js';
import { SerialSet } from './serial-set.js';
import type { RecordStream, StreamReader } from './stream.js';

export class IdbStore implements StreamReader {
  // ---- in-memory accumulator: ranges of the source's sequence numbers (records in `stream`) ----
  /** Closed runs [lo, hi) of records received, in order (at most acc-queue-size of them). */
  private runLo = new Float64Array(4);
  private runHi = new Float64Array(4);
  private nRuns = 0;
  /** Records in the closed runs. */
  private closedN = 0;
  /**
   * Start of the open run (-1: none): while the ICON receives, every record the source emits
   * from here on is in the accumulator without being handed to it one by one.
   */
  private openLo = -1;

  // ---- persistent queue and IDB ----
  /** The IDB is reachable (idb-down / idb-up). */
  idbUp = true;
  /** Records in the persistent queue (survive an ICON restart; written when the IDB is up). */
  readonly pq = new RangeFifo();
  /** Source sequence numbers written to the IDB. */
  readonly written = new SeqRanges();

  // ---- the IDB's view of calls (what the records that reach it say) ----
  /** Calls with an open call record (call serials). */
  readonly calls = new SerialSet();
  /** Calls with an open party record (one agent party per call in this model). */
  readonly parties = new SerialSet();

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
    readonly accSize: number,
    private readonly pqMax: number,
    /** The source's records. */
    private readonly stream: RecordStream,
  ) {
    assert(
      Number.isInteger(accSize) && accSize >= 1,
      () => `acc-queue-size must be a whole number >= 1, got ${accSize}`,
    );
    stream.addReader(this);
  }

  /** Records in the accumulator (the open run up to the source's last record included). */
  get accN(): number {
    return this.openLo < 0 ? this.closedN : this.closedN + this.stream.seq - this.openLo;
  }

  /** The open run is open: the records the source emits go to the accumulator. */
  get receiving(): boolean {
    return this.openLo >= 0;
  }

  /** The records from `seq` on go to the accumulator (until `close`). */
  open(seq: number): void {
    if (this.openLo < 0) this.openLo = seq;
  }

  /** The records from `seq` on no longer go to the accumulator. */
  close(seq: number): void {
    const lo = this.openLo;
    if (lo < 0) return;
    this.openLo = -1;
    if (seq <= lo) return;
    const n = this.nRuns;
    if (n > 0 && this.runHi[n - 1] === lo) this.runHi[n - 1] = seq;
    else {
      if (n === this.runLo.length) this.growRuns();
      this.runLo[n] = lo;
      this.runHi[n] = seq;
      this.nRuns = n + 1;
    }
    this.closedN += seq - lo;
  }

  private growRuns(): void {
    const lo = new Float64Array(this.runLo.length * 2);
    const hi = new Float64Array(this.runLo.length * 2);
    lo.set(this.runLo);
    hi.set(this.runHi);
    this.runLo = lo;
    this.runHi = hi;
  }

  /** The sequence number whose record fills the accumulator (acc-queue-size), with the run open. */
  fullAtSeq(): number {
    return this.openLo + this.accSize - this.closedN - 1;
  }

  oldestNeeded(): number {
    if (this.nRuns > 0) return this.runLo[0]!;
    return this.openLo >= 0 ? this.openLo : Infinity;
  }

  /**
   * The accumulator goes to the persistent queue (or straight to a reachable IDB with nothing
   * queued); records beyond the persistent queue's capacity are lost. Returns how many were.
   * In bulk: each run of consecutive sequence numbers is one range for the IDB or the queue.
   * An open run stays open (empty) for the records still to come.
   */
  flush(): number {
    const reopen = this.openLo >= 0;
    const seq = this.stream.seq;
    this.close(seq);
    let dropped = 0;
    for (let r = 0; r < this.nRuns; r++) {
      const lo = this.runLo[r]!;
      const k = this.runHi[r]! - lo;
      if (this.idbUp && this.pq.count === 0) {
        this.applyRange(lo, lo + k);
        this.written.addRange(lo, lo + k);
      } else {
        const take = Math.min(k, Math.max(0, this.pqMax - this.pq.count));
        this.applyRange(lo, lo + take);
        this.pq.pushRange(lo, lo + take);
        dropped += k - take; // persistent queue full: those records are lost
      }
    }
    this.lostOverflow += dropped;
    this.nRuns = 0;
    this.closedN = 0;
    if (reopen) this.openLo = seq;
    return dropped;
  }

  /** The process is gone: the accumulator is lost. Returns how many records it held. */
  loseAccumulator(): number {
    this.close(this.stream.seq);
    const n = this.closedN;
    this.lostInMemory += n;
    this.nRuns = 0;
    this.closedN = 0;
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

  /** What the source's records [from, to) do to the IDB's call and party records. */
  private applyRange(from: number, to: number): void {
    const { ev: evs, id: ids, mask } = this.stream;
    const calls = this.calls;
    // A call known to have an open record: the one the previous record opened or found open
    // (a call's records come in pairs: created + attached data, established + party added).
    let open = NaN;
    for (let s = from; s < to; s++) {
      const id = ids[s & mask]!;
      const ev = evs[s & mask]! as SourceEvent;
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
