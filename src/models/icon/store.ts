// What one ICON does with the records it receives (DOMAIN §8, seed 001): the pipeline in-memory
// accumulator → persistent queue → IDB, and the IDB's view of calls (open call and party
// records) from which stuck calls are counted. The connection side (which records arrive) is
// icon.ts; this file never looks at the network or the source pair.
// The accumulator holds ranges of the source's sequence numbers, not copies of records: while the
// ICON receives, its run stays open and the source's records join it with no work per ICON
// (stream.ts). At a flush each run goes to the IDB (or the persistent queue) as one range.
// The IDB's view of calls is the source's (stream.ts: applied once per record for all ICONs)
// except for the calls this IDB holds differently, kept here (`own`): a flush of records all
// stored takes two differences of the source's running sums; only records around a gap (or of
// a call kept here) are looked at one by one.
// Leaves out: DB Server↔RDBMS failures, and the IDB write rate (a reachable IDB keeps up).

import { assert, type Stream } from '../../sim/index.js';
import { SourceEvent } from '../telephony/telephony.js';
import { RangeFifo, SeqRanges } from './intervals.js';
import { CALL_OPEN, PARTIAL, VIEW_NEXT, type RecordStream, type StreamReader } from './stream.js';

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
  /** The open run up to here was flushed by quiet cycles not done yet (-1: none; `defer`). */
  private pendTo = -1;

  // ---- persistent queue and IDB ----
  /** The IDB is reachable (idb-down / idb-up). */
  idbUp = true;
  /** Records in the persistent queue (survive an ICON restart; written when the IDB is up). */
  readonly pq = new RangeFifo();
  /** Source sequence numbers written to the IDB. */
  readonly written = new SeqRanges();

  // ---- the IDB's view of calls (what the records that reach it say) ----
  /**
   * Records before this one are settled in the view: stored, or known never to be (missed,
   * lost in memory or in a full persistent queue). The accumulator holds only records after it.
   */
  private settled = 0;
  /**
   * The calls whose state here (CALL_OPEN, PARTY_OPEN) differs from the source's view
   * (stream.ts) at `settled`, because this IDB did not store some of their records or its
   * restart closed them. Every other call is as the view has it. A call leaves when a record
   * brings both to the same state again.
   */
  private readonly own = new Map<number, number>();
  /**
   * The stream's running sums (attached data, partial records) over the records before
   * `snapAt`, where the records were last settled up to.
   */
  private snapAt = 0;
  private adSnap = 0;
  private partialSnap = 0;

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
    this.catchUp();
    return this.openLo < 0 ? this.closedN : this.closedN + this.stream.seq - this.openLo;
  }

  /** The open run is open: the records the source emits go to the accumulator. */
  get receiving(): boolean {
    return this.openLo >= 0;
  }

  /**
   * A flush would only write the accumulator's one open run to the IDB: it is reachable, nothing
   * is queued, and no other run or deferred flush is held (Icon: quiet flush cycles).
   */
  quiet(): boolean {
    return (
      this.nRuns === 0 && this.openLo >= 0 && this.pendTo < 0 && this.idbUp && this.pq.count === 0
    );
  }

  /** The records from `seq` on go to the accumulator (until `close`). */
  open(seq: number): void {
    if (this.openLo < 0) this.openLo = seq;
  }

  /** The records from `seq` on no longer go to the accumulator. */
  close(seq: number): void {
    this.catchUp();
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
    this.catchUp();
    return this.openLo + this.accSize - this.closedN - 1;
  }

  /**
   * The ring asks: the records before the first one the accumulator holds were not stored, so
   * they are settled now and the ring need not keep them.
   */
  oldestNeeded(): number {
    this.catchUp();
    const first =
      this.nRuns > 0 ? this.runLo[0]! : this.openLo >= 0 ? this.openLo : this.stream.seq;
    if (first > this.settled) this.settle(first, 0);
    return this.settled;
  }

  /**
   * The accumulator up to record `to` (all of it by default) goes to the persistent queue (or
   * straight to a reachable IDB with nothing queued); records beyond the persistent queue's
   * capacity are lost. Returns how many were. In bulk: each run of consecutive sequence numbers
   * is one range for the IDB or the queue. An open run stays open (empty, or from `to` on) for
   * the records still to come.
   */
  flush(to = this.stream.seq): number {
    this.catchUp();
    const reopen = this.openLo >= 0;
    this.close(to);
    let dropped = 0;
    for (let r = 0; r < this.nRuns; r++) {
      const lo = this.runLo[r]!;
      const k = this.runHi[r]! - lo;
      if (this.idbUp && this.pq.count === 0) this.written.addRange(lo, lo + k);
      else {
        const take = Math.min(k, Math.max(0, this.pqMax - this.pq.count));
        this.pq.pushRange(lo, lo + take);
        dropped += k - take; // persistent queue full: those records are lost
        this.runHi[r] = lo + take; // what the IDB's view takes from the run
      }
    }
    this.lostOverflow += dropped;
    this.settle(to, this.nRuns);
    this.nRuns = 0;
    this.closedN = 0;
    if (reopen) this.openLo = to;
    return dropped;
  }

  /**
   * The ICON's quiet flush cycles (Icon: the IDB up, nothing queued, one open run) flushed the
   * open run up to record `to`: done when something next looks at the store (`catchUp`). Such
   * flushes only write their records to the IDB, so consecutive ones are one range and one
   * settle, whenever they are done.
   */
  defer(to: number): void {
    this.pendTo = to;
  }

  /** The flushes `defer` put off are done now: one flush of the open run up to `pendTo`. */
  catchUp(): void {
    const to = this.pendTo;
    if (to < 0) return;
    this.pendTo = -1;
    assert(
      this.quiet() && this.openLo <= to,
      () => `${this.label}: a deferred flush to ${to} found the store no longer quiet`,
    );
    this.flush(to);
  }

  /** The process is gone: the accumulator is lost. Returns how many records it held. */
  loseAccumulator(): number {
    this.catchUp();
    this.close(this.stream.seq);
    const n = this.closedN;
    this.lostInMemory += n;
    this.nRuns = 0;
    this.closedN = 0;
    this.settle(this.stream.seq, 0);
    return n;
  }

  /**
   * At restart the ICON reloads its persistent queue from disk; with pq-restore-failure-probability
   * that fails (seed 001: "possible failure in restoring queued data from the persistent queue")
   * and every queued record is lost for this IDB. One draw per restart, from the ICON's stream.
   * Returns how many records were lost.
   */
  restorePq(rng: Stream, failP: number): number {
    this.catchUp();
    const failed = rng.next() < failP;
    if (!failed || this.pq.count === 0) return 0;
    const n = this.pq.count;
    this.lostPqRestore += n;
    this.pq.clear();
    return n;
  }

  /** At restart ICON closes every call still marked active (they end at an unknown time). */
  closeCallsAtRestart(): void {
    this.catchUp();
    this.stream.sync();
    this.callsClosedAtRestart += this.countOpen(CALL_OPEN);
    // Every call the view or this IDB holds open is closed here: kept on its own, as closed.
    const { view } = this.stream;
    const own = this.own;
    own.forEach((_v, k) => own.set(k, 0));
    view.forEach((k, v) => {
      if ((v & 3) !== 0 && !own.has(k)) {
        own.set(k, 0);
        this.stream.watch(k);
      }
    });
    own.forEach((_v, k) => {
      if ((view.get(k) & 3) === 0) this.forget(k);
    });
  }

  /** The IDB writer catches up: everything queued is written (a reachable IDB keeps up). */
  drain(): void {
    this.catchUp();
    if (this.idbUp) this.pq.drainInto(this.written);
  }

  /**
   * Settles records [settled, to): those in the first `nStored` runs of the accumulator were
   * stored (they reach the IDB's view), the others were not. Records all stored, none of a call
   * this IDB keeps on its own: the view is the source's, and the counters are sums read from the
   * ring. Otherwise record by record (stream.ts, `VIEW_NEXT`): a call whose record this IDB did
   * not store is kept on its own from there on, in the state the view had it just before.
   */
  private settle(to: number, nStored: number): void {
    const from = this.settled;
    if (to <= from) return;
    const st = this.stream;
    st.sync();
    if (
      nStored === 1 &&
      this.runLo[0] === from &&
      this.runHi[0] === to &&
      this.snapAt === from &&
      st.eachUntil < from
    ) {
      st.sumsAt(to);
      this.attachedDataStored += st.adAt - this.adSnap;
      this.callsPartial += st.partialAt - this.partialSnap;
      if (this.own.size > 0) this.settleOwn(from, to);
    } else {
      this.settleEach(from, to, nStored);
      st.sumsAt(to);
    }
    this.settled = to;
    this.snapAt = to;
    this.adSnap = st.adAt;
    this.partialSnap = st.partialAt;
  }

  /**
   * Records [from, to) all stored, counted with the view's states (the running sums): the records
   * of calls this IDB keeps on its own take their state here instead. Each of them was booked
   * with the WATCHED mark (`eachUntil` covers any that could not be), so only those are looked
   * at, in order, as settleEach would.
   */
  private settleOwn(from: number, to: number): void {
    const st = this.stream;
    const { rid, mask } = st;
    const own = this.own;
    for (let w = st.firstWatched(from); ; w++) {
      const s = st.watchedAt(w);
      if (s >= to) break;
      const i = (s & mask) << 1;
      const rec = rid[i]!;
      const k = rid[i + 1]!;
      const v = own.get(k);
      if (v === undefined) continue; // another ICON's: this IDB's state is the view's
      const ev = rec & 15;
      const p = rec >> 4;
      const t = VIEW_NEXT[ev * 4 + v]!;
      const tv = VIEW_NEXT[ev * 4 + p]!;
      // The sums counted the record as partial by the view's state.
      this.callsPartial += (t & PARTIAL ? 1 : 0) - (tv & PARTIAL ? 1 : 0);
      this.stepOwn(k, t, tv);
    }
  }

  /**
   * A stored record of a call kept on its own: `t` its step from the call's own state, `tv` from
   * the view's. The same state as the view's again: the call follows the view from here on.
   */
  private stepOwn(k: number, t: number, tv: number): void {
    if ((t & 3) === (tv & 3)) this.forget(k);
    else this.own.set(k, t & 3);
  }

  private settleEach(from: number, to: number, nStored: number): void {
    const st = this.stream;
    const { rid, mask } = st;
    const own = this.own;
    let detached = false;
    let s = from;
    for (let r = 0; r <= nStored; r++) {
      const lo = r < nStored ? this.runLo[r]! : to;
      const hi = r < nStored ? this.runHi[r]! : to;
      // [s, lo): not stored. A call whose state the record changed in the view keeps its own.
      for (; s < lo; s++) {
        const i = (s & mask) << 1;
        const rec = rid[i]!;
        const ev = rec & 15;
        if (ev > SourceEvent.Released) continue; // agent events: no call
        const k = rid[i + 1]!;
        const p = rec >> 4;
        const after = VIEW_NEXT[ev * 4 + p]! & 3;
        const v = own.get(k);
        if (v === undefined) {
          if (after !== p) {
            own.set(k, p);
            st.watch(k);
            detached = true;
          }
        } else if (v === after) this.forget(k);
      }
      // [lo, hi): stored.
      for (; s < hi; s++) {
        const i = (s & mask) << 1;
        const rec = rid[i]!;
        const ev = rec & 15;
        if (ev > SourceEvent.Released) continue;
        const k = rid[i + 1]!;
        const p = rec >> 4;
        const v = own.get(k);
        const t = VIEW_NEXT[ev * 4 + (v === undefined ? p : v)]!;
        if (t & PARTIAL) this.callsPartial++;
        if (ev === SourceEvent.AttachedData) this.attachedDataStored++;
        if (v !== undefined) this.stepOwn(k, t, VIEW_NEXT[ev * 4 + p]!);
      }
    }
    // Records booked since `to` of a call just kept on its own were not marked: the next settle
    // of every ICON goes record by record over them.
    if (detached && to < st.seq) st.eachUntil = Math.max(st.eachUntil, st.seq - 1);
  }

  private forget(k: number): void {
    this.own.delete(k);
    this.stream.unwatch(k);
  }

  /**
   * Every call whose call record (`bit` CALL_OPEN) or party record (PARTY_OPEN) the IDB holds
   * open now. Records not flushed by now never reach it (they are settled as not stored).
   */
  forEachOpen(bit: number, fn: (k: number) => void): void {
    this.catchUp();
    this.settle(this.stream.seq, 0);
    const own = this.own;
    this.stream.view.forEach((k, v) => {
      if ((v & bit) !== 0 && !own.has(k)) fn(k);
    });
    own.forEach((v, k) => {
      if ((v & bit) !== 0) fn(k);
    });
  }

  countOpen(bit: number): number {
    let n = 0;
    this.forEachOpen(bit, () => n++);
    return n;
  }

  /** Everything that reached the IDB or waits safely in its persistent queue. */
  kept(): SeqRanges {
    this.catchUp();
    const out = new SeqRanges();
    out.append(this.written);
    out.append(this.pq.toRanges());
    return out;
  }
}
