// The records one data source emitted, once for all its ICONs (issue 21): sequence numbers with
// the event and the identity the ICONs see, in a ring of typed arrays. An ICON does not copy a
// record it receives: its accumulator holds ranges of sequence numbers (store.ts) and reads the
// records here when it flushes. The ring keeps only what some ICON still has to settle: it grows
// to the widest span an accumulator ever holds (a few seconds of records, more while an ICON
// hangs with a full accumulator) and never with the run's length.
//
// The stream also keeps the source's view of calls: what an IDB that stored every record so far
// would hold open (call and party records), applied once per record as it is booked. An ICON's
// IDB holds the same view except for the calls some of whose records it did not store (it missed
// them, lost them in memory, or its restart closed its calls): those it keeps on its own
// (store.ts), and the stream marks their later records (`watch`). So a record costs one view
// update per source, not one per ICON, and a flush of records all stored costs the ICON two
// differences of running sums (`adTotal`, `partialTotal`).
// A record is booked (view, sums, the identity the ICONs see) not as it is emitted but in a batch
// before anything reads those (`sync`: an ICON's flush, the ring's growth, a change of the
// source's aliases or active calls): the same steps in the same order, as nothing they read
// changes between a record's emission and its booking, and a record costs its emission two
// stores into the ring.

import { assert, SimAssertionError } from '../../sim/index.js';
import { SourceEvent } from '../telephony/telephony.js';
import { SerialBytes, W } from './serial-set.js';

/** Who reads the ring: the lowest sequence number it still needs (Infinity: none). */
export interface StreamReader {
  oldestNeeded(): number;
}

/** Books the stream's records [stream.booked, to) and sets stream.booked = to. */
export interface Booker {
  book(to: number): void;
}

/**
 * Ends the ICONs' quiet flush cycles at a record (SourceLog.roll): what the source's log's
 * `record` and `attend` do for a record that only a due cycle made the lane refuse.
 */
export interface CycleRoller {
  /** Record `seq` at `nowMs` (appended): the due cycles end at it; attn and dueMs are set. */
  roll(seq: number, nowMs: number): void;
}

/** Books a call record of a serial that may have an alias or be an orphan (the source log). */
export interface OldBooker {
  bookOld(s: number, ev: SourceEvent, serial: number): void;
}

/** A call's records in a view of the IDB: bit 0 its call record is open, bit 1 its party record. */
export const CALL_OPEN = 1;
export const PARTY_OPEN = 2;
/** In VIEW_NEXT: the record found the call record not open (a partial record). */
export const PARTIAL = 4;
/**
 * In the stream's view (beside CALL_OPEN, PARTY_OPEN): some ICON keeps the call on its own
 * (`watch`), so its records are marked as they are booked without a second lookup.
 */
export const WATCHED = 4;

/**
 * What a call record event does to a call's state in a view (index ev * 4 + state): the new
 * state, plus PARTIAL when the record found no open call record (a record of a call whose
 * creation the IDB missed, or the release of a call it never saw begun). As IdbStore applied
 * them one by one: creation opens the call record; attached data, ringing, established and party
 * added open it if it was not (partial); party added opens the party record and party removed
 * closes it; a release closes the call record (partial if it was not open). Agent events touch
 * no call.
 */
export const VIEW_NEXT: Uint8Array = (() => {
  const t = new Uint8Array((SourceEvent.Released + 1) * 4);
  for (let s = 0; s < 4; s++) {
    const partial = s & CALL_OPEN ? 0 : PARTIAL;
    t[SourceEvent.CallCreated * 4 + s] = s | CALL_OPEN;
    t[SourceEvent.AttachedData * 4 + s] = s | CALL_OPEN | partial;
    t[SourceEvent.Ringing * 4 + s] = s | CALL_OPEN | partial;
    t[SourceEvent.Established * 4 + s] = s | CALL_OPEN | partial;
    t[SourceEvent.PartyAdded * 4 + s] = s | CALL_OPEN | PARTY_OPEN | partial;
    t[SourceEvent.PartyRemoved * 4 + s] = s & ~PARTY_OPEN;
    t[SourceEvent.Released * 4 + s] = (s & ~CALL_OPEN) | partial;
  }
  return t;
})();

/**
 * In the stream's view, on a call's serial: the source has the call active (created, not
 * released) — the source log's active calls (source.ts), kept in the same byte as the view so
 * that booking a record is one step.
 */
export const ACTIVE = 8;

/**
 * VIEW_NEXT for a byte of the stream's view (index ev * 16 + byte): bits 0-1 the new state, bit 2
 * WATCHED as it was, bit 3 ACTIVE, bit 4 (STEP_PARTIAL) the record is partial, bit 5 (STEP_AD)
 * the event is attached data. `KEY_STEP` keeps ACTIVE as it was (a record booked under an alias,
 * or with no source log); `SERIAL_STEP` sets it at a creation and clears it at a release (a
 * record booked under the call's own serial).
 */
const STEP_PARTIAL = 16;
/** In a step: the record is attached data (counted in `adTotal`). */
const STEP_AD = 32;
function viewStep(active: boolean): Uint8Array {
  const t = new Uint8Array((SourceEvent.Released + 1) * 16);
  for (let ev = 0; ev <= SourceEvent.Released; ev++) {
    for (let b = 0; b < 16; b++) {
      const n = VIEW_NEXT[ev * 4 + (b & 3)]!;
      let a = b & ACTIVE;
      if (active && ev === SourceEvent.CallCreated) a = ACTIVE;
      if (active && ev === SourceEvent.Released) a = 0;
      t[ev * 16 + b] =
        (n & 3) |
        (b & WATCHED) |
        a |
        (n & PARTIAL ? STEP_PARTIAL : 0) |
        (ev === SourceEvent.AttachedData ? STEP_AD : 0);
    }
  }
  return t;
}
export const KEY_STEP: Uint8Array = viewStep(false);
export const SERIAL_STEP: Uint8Array = viewStep(true);
/** In BOOK_STEP: the record leaves bookRange's loop (a partial record, or a watched call's). */
const LEAVE = STEP_PARTIAL;
/**
 * SERIAL_STEP for bookRange's loop: LEAVE also on a byte with WATCHED (the loop books neither a
 * partial record nor a watched call's: bookCall does, and counts or notes it).
 */
const BOOK_STEP = Uint8Array.from(SERIAL_STEP, (t, i) => (i & WATCHED ? t | LEAVE : t));

const CAPACITY_MIN = 1024;

/** A record of no known event: out of line, so that bookRange makes no message closure. */
function unknownEvent(ev: number): never {
  throw new SimAssertionError(`source record: unknown event ${ev}`);
}

export class RecordStream {
  /** Next sequence number = records emitted so far. */
  seq = 0;
  /** When the last record was emitted (-Infinity before the first). */
  lastMs = -Infinity;
  /**
   * The lowest sequence number at which some ICON of the source must look at a record itself
   * (min of their `attn`, see Icon.attend): below it every ICON either receives into its
   * accumulator's open run or not at all. Set by `setAttn`.
   */
  private attnSeq = 0;
  /**
   * min(attn, the first sequence number the ring has no room for), or 0 while `held`: a record
   * below it is only appended (SourceLog.record's one comparison for the three).
   */
  fastEnd = 0;
  /**
   * Per record, two ints side by side at (s & mask) * 2 (one array: one map and one bounds
   * check for both): its event (bits 0-3) and, for a booked call record, the call's state in
   * `view` just before it (bits 4-5: CALL_OPEN, PARTY_OPEN); then the identity the ICONs see
   * once booked (as emitted before).
   */
  rid = new Int32Array(2 * CAPACITY_MIN);
  /** Slot of sequence number s: s & mask (its two ints at 2 × slot). */
  mask = CAPACITY_MIN - 1;
  /** Lowest sequence number the ring still holds. */
  private base = 0;
  private readonly readers: StreamReader[] = [];
  /**
   * Records before this one are booked: their event's effect on the view and the running sums
   * applied, the identity the ICONs see written. Later ones are held as emitted (event, serial).
   */
  booked = 0;
  /** Who books the records (the source's log: aliases, active calls); else each as emitted. */
  booker: Booker | undefined = undefined;
  /** Who ends the ICONs' quiet flush cycles at a record (tryRoll; the source's log), if anyone. */
  roller: CycleRoller | undefined = undefined;

  // ---- the view of an IDB that stored every record so far ----
  /**
   * Each call's state (CALL_OPEN, PARTY_OPEN) by the identity its records carry, WATCHED while
   * some ICON keeps it on its own, and ACTIVE on the serial of a call the source has active
   * (readers mask both off).
   */
  readonly view = new SerialBytes();
  /** The running sums after the last record. */
  adTotal = 0;
  partialTotal = 0;
  /** The running sums over the records before the one last asked of `sumsAt`. */
  adAt = 0;
  partialAt = 0;
  /**
   * A flush cycle of some ICON that is worked out without an event (Icon: a quiet cycle) ends
   * at this time: a record from then on is not only appended (Infinity: none).
   */
  dueMs = Infinity;
  /**
   * The ICONs' ADDP timeout (ms): a record that long after the one before touches their links
   * (not only appended). Set by the source's log; starts as -0 so that the field holds a double
   * from the first (read on every record).
   */
  addpMs = -0;
  /** How many ICONs keep each call on their own (IdbStore's own calls): their records are marked. */
  private readonly watched = new SerialBytes();
  /**
   * The booked records of watched calls (their WATCHED bit was set as they were booked), by
   * sequence number in increasing order, from `base` on (makeRoom drops the older ones): a
   * flush of records all stored looks at these only (IdbStore.settle).
   */
  private readonly watchedSeqs: number[] = [];
  /**
   * Records up to here were booked before some ICON began to keep their call on its own, so they
   * are not marked: every ICON's next settle over them goes record by record (-1: none).
   */
  eachUntil = -1;

  /**
   * A member of the source pair changed status or role since a record last looked at the
   * primary (SourceLog.record): `fastEnd` stays 0, so the next record does.
   */
  private held = true;

  get attn(): number {
    return this.attnSeq;
  }

  setAttn(attn: number): void {
    this.attnSeq = attn;
    this.fastEnd = this.held ? 0 : Math.min(attn, this.base + this.mask + 1);
  }

  /** The primary in service may have changed: the next record is not only appended. */
  hold(): void {
    this.held = true;
    this.fastEnd = 0;
  }

  /** A record looked at the primary (SourceLog.record): records are appended again. */
  release(): void {
    this.held = false;
    this.fastEnd = Math.min(this.attnSeq, this.base + this.mask + 1);
  }

  addReader(r: StreamReader): void {
    this.readers.push(r);
  }

  /**
   * The fast path of every record (RecordLane): appended as emitted, and true, when no ICON must
   * look at it — below `fastEnd` (no change of reception, first record or full accumulator),
   * within `addpMs` of the record before (no ADDP gap), before `dueMs` (no quiet flush cycle
   * ends). Otherwise false and nothing done: the source's log takes it (SourceLog.record).
   */
  tryAppend(ev: SourceEvent, id: number, nowMs: number): boolean {
    const s = this.seq;
    if (!this.appendable(s + 1, nowMs)) return false;
    const rid = this.rid;
    const i = (s & this.mask) << 1;
    rid[i] = ev;
    rid[i + 1] = id;
    this.lastMs = nowMs;
    this.seq = s + 1;
    return true;
  }

  /**
   * A record tryAppend refused only because some ICON's quiet flush cycle is due by now (below
   * `fastEnd`, no ADDP gap): appended, and true; the roller ends the due cycles at it, as the
   * source's log would. Otherwise false and nothing done: the log takes it. Out of line
   * (TelephonyEvents' slow path asks it): a quiet cycle ends every acc-queue-lifespan, once in
   * about three calls of bench-day, most records the lane refuses.
   */
  tryRoll(ev: SourceEvent, id: number, nowMs: number): boolean {
    const roller = this.roller;
    const s = this.seq;
    if (
      roller === undefined ||
      nowMs < this.dueMs ||
      s + 1 > this.fastEnd ||
      nowMs - this.lastMs >= this.addpMs
    )
      return false;
    roller.roll(this.push(ev, id, nowMs), nowMs);
    return true;
  }

  /** Records up to `end` (exclusive) emitted at `nowMs` may be only appended (tryAppend). */
  private appendable(end: number, nowMs: number): boolean {
    return end <= this.fastEnd && nowMs - this.lastMs < this.addpMs && nowMs < this.dueMs;
  }

  /**
   * tryAppend for two records at one instant (`ev1` of `id1`, then `ev2` of `id2`): both
   * appended, or neither (false: each goes its own way, SourceLog.record).
   */
  tryAppend2(ev1: SourceEvent, id1: number, ev2: SourceEvent, id2: number, nowMs: number): boolean {
    const s = this.seq;
    if (!this.appendable(s + 2, nowMs)) return false;
    const mask = this.mask;
    const rid = this.rid;
    const i = (s & mask) << 1;
    const k = ((s + 1) & mask) << 1;
    rid[i] = ev1;
    rid[i + 1] = id1;
    rid[k] = ev2;
    rid[k + 1] = id2;
    this.lastMs = nowMs;
    this.seq = s + 2;
    return true;
  }

  /**
   * tryAppend for the records of a call answered at once (`serial`): the agent's state record
   * (agent `a`) when `owed`, then the call's Ringing, Established and PartyAdded — all
   * appended, or none (false: each goes its own way, SourceLog.record).
   */
  tryAppendAnswered(owed: boolean, a: number, serial: number, nowMs: number): boolean {
    let s = this.seq;
    const n = owed ? 4 : 3;
    if (!this.appendable(s + n, nowMs)) return false;
    const mask = this.mask;
    const rid = this.rid;
    if (owed) {
      const i = (s & mask) << 1;
      rid[i] = SourceEvent.AgentState;
      rid[i + 1] = a;
      s++;
    }
    const i = (s & mask) << 1;
    const k = ((s + 1) & mask) << 1;
    const m = ((s + 2) & mask) << 1;
    rid[i] = SourceEvent.Ringing;
    rid[i + 1] = serial;
    rid[k] = SourceEvent.Established;
    rid[k + 1] = serial;
    rid[m] = SourceEvent.PartyAdded;
    rid[m + 1] = serial;
    this.lastMs = nowMs;
    this.seq = s + 3;
    return true;
  }

  /**
   * Appends the record `seq` (returned) at `nowMs`, as emitted: its event and the call's serial
   * (or the agent's index). It is booked later (`sync`), before anyone reads it.
   */
  push(ev: SourceEvent, id: number, nowMs: number): number {
    const s = this.seq;
    if (s - this.base > this.mask) this.makeRoom();
    const i = (s & this.mask) << 1;
    this.rid[i] = ev;
    this.rid[i + 1] = id;
    this.lastMs = nowMs;
    this.seq = s + 1;
    return s;
  }

  /**
   * Books every record appended since the last time (the booker's, or each under its own
   * identity): called before anything reads the view, the running sums, the watched records or a
   * record's booked form, and before the booker's own state changes.
   */
  sync(): void {
    if (this.booked === this.seq) return;
    if (this.booker !== undefined) {
      this.booker.book(this.seq);
      return;
    }
    for (let s = this.booked; s < this.seq; s++) {
      const i = (s & this.mask) << 1;
      const ev = this.rid[i]!;
      if (ev <= SourceEvent.Released) this.bookCall(s, ev, this.rid[i + 1]!, KEY_STEP);
      else if (ev > SourceEvent.AgentLogout) assert(false, `source record: unknown event ${ev}`);
    }
    this.booked = this.seq;
  }

  /**
   * Books call record `s` (event `ev`) under identity `key`, one step of `table` (KEY_STEP or
   * SERIAL_STEP) on its view byte: its state before goes into `rid` (bits 4-5), the running sums
   * follow, and the record carries `key` from now on.
   */
  bookCall(s: number, ev: number, key: number, table: Uint8Array): void {
    const i = (s & this.mask) << 1;
    this.rid[i + 1] = key;
    const r = this.view.step(key, table, ev * 16);
    this.rid[i] = ev | ((r & 3) << 4);
    if (r & (STEP_PARTIAL << 8)) this.partialTotal++;
    if (ev === SourceEvent.AttachedData) this.adTotal++;
    if (r & WATCHED) this.watchedSeqs.push(s);
  }

  /**
   * The running sums over the records before `to` (booked: after `sync`) into `adAt` and
   * `partialAt`: the sums less the records from `to` on, each counted as `bookCall` did.
   */
  sumsAt(to: number): void {
    let ad = this.adTotal;
    let partial = this.partialTotal;
    const { rid, mask } = this;
    for (let s = to; s < this.seq; s++) {
      const rec = rid[(s & mask) << 1]!;
      const ev = rec & 15;
      if (ev > SourceEvent.Released) continue; // agent events: no call
      if (ev === SourceEvent.AttachedData) ad--;
      if (VIEW_NEXT[ev * 4 + (rec >> 4)]! & PARTIAL) partial--;
    }
    this.adAt = ad;
    this.partialAt = partial;
  }

  /** Index (in `watchedAt`) of the first booked record of a watched call at or after `from`. */
  firstWatched(from: number): number {
    const w = this.watchedSeqs;
    let a = 0;
    let b = w.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (w[m]! < from) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** The sequence number of the `i`-th booked record of a watched call (Infinity: none). */
  watchedAt(i: number): number {
    return i < this.watchedSeqs.length ? this.watchedSeqs[i]! : Infinity;
  }

  /**
   * Books records [booked, to): a call record of a serial above `plain` under that serial (one
   * SERIAL_STEP of its view byte), of another serial by `old` (aliases, orphans).
   * The inner loop books the records of serials above `plain` in the view's window whose step is
   * neither partial nor of a watched call (BOOK_STEP's LEAVE), the usual case, with the ring, the
   * window and the table in locals and no call, so that the compiled loop checks their maps once;
   * any other record is booked out of it, one at a time (bookCall counts it and notes it).
   */
  bookRange(to: number, plain: number, old: OldBooker): void {
    const view = this.view;
    // Module constants read once (each read in the loop would check that it is initialised);
    // the window's width is a literal (WIN_BITS below), and the bounds are 32-bit integers.
    const table = BOOK_STEP;
    const pl = plain | 0;
    let ad = 0;
    let s = this.booked;
    while (s < to) {
      const rid = this.rid;
      const mask = this.mask;
      const win = view.win;
      const base = view.base;
      // Bit operations where they give the same values (i is even, was < 16, a batch is far
      // below 2^31 records): the compiled loop then checks no integer overflow.
      for (; s < to; s++) {
        const i = (s & mask) << 1;
        const ev = rid[i]!;
        if (ev > SourceEvent.Released) {
          if (ev > SourceEvent.AgentLogout) break;
          continue;
        }
        const serial = rid[i | 1]!;
        // In the window [base, base + 4096) (W === 4096, checked below the class).
        if (serial <= pl || (serial - base) >>> 12 !== 0) break;
        const j = serial & 4095;
        const was = win[j]!;
        const t = table[(ev << 4) | was]!;
        if (t & LEAVE) break; // booked out of the loop: partial, or a watched call's
        win[j] = t & 15;
        rid[i] = ev | ((was & 3) << 4);
        ad = (ad + (t >> 5)) | 0;
      }
      if (s === to) break;
      // Record s: an unknown event, a serial below `plain` or outside the view's window, a
      // partial record or a watched call's.
      const i = (s & mask) << 1;
      const ev = rid[i]!;
      if (ev > SourceEvent.Released) unknownEvent(ev);
      const serial = rid[i + 1]!;
      if (serial <= pl) old.bookOld(s, ev, serial);
      else this.bookCall(s, ev, serial, SERIAL_STEP);
      s++;
    }
    this.adTotal += ad;
    this.booked = to;
  }

  /** An ICON keeps call `k` on its own from now on: its records from here on are marked. */
  watch(k: number): void {
    const n = this.watched.get(k);
    if (n === 0) this.view.set(k, this.view.get(k) | WATCHED);
    this.watched.set(k, n + 1);
  }

  /** An ICON no longer keeps call `k` on its own. */
  unwatch(k: number): void {
    const n = this.watched.get(k) - 1;
    if (n === 0) this.view.set(k, this.view.get(k) & ~WATCHED);
    this.watched.set(k, n);
  }

  /** The ring is full: forget what no reader needs, else double it. */
  private makeRoom(): void {
    this.sync();
    let base = this.seq;
    for (const r of this.readers) base = Math.min(base, r.oldestNeeded());
    this.base = base;
    const gone = this.firstWatched(base);
    if (gone > 0) this.watchedSeqs.splice(0, gone);
    if (this.seq - base <= this.mask) {
      this.setAttn(this.attnSeq);
      return;
    }
    const cap = (this.mask + 1) * 2;
    const rid = new Int32Array(2 * cap);
    const mask = cap - 1;
    for (let s = base; s < this.seq; s++) {
      const to = (s & mask) << 1;
      const from = (s & this.mask) << 1;
      rid[to] = this.rid[from]!;
      rid[to + 1] = this.rid[from + 1]!;
    }
    this.rid = rid;
    this.mask = mask;
    this.setAttn(this.attnSeq);
  }
}

assert(W === 4096, 'RecordStream.bookRange: the view window is 4,096 serials wide');
