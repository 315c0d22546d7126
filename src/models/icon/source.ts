// What a data source (the primary of a telephony pair) did, as its events tell: sequence
// numbers, the calls it has active, and the calls whose identity it lost. Telephony emits only
// while a primary serves (DOMAIN §6), so a call that ends during a service loss is never reported
// released, and a call that loses its call control at a switchover (warm standby, CTI link loss,
// hot standby within ha-sync-lag) is reported afterwards under a new ConnID: every IDB keeps the
// old record open. Those are the stuck calls and stuck parties of the ICON failure table.
// Which calls lost their identity telephony says itself (TelephonyObserver.onCallDegraded), and
// so does a call graceful shutdown sent to the peer site (onCallMoved): no rule is repeated here.

import type { SimContext } from '../../sim/index.js';
import type { App, AppStateView } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import { SourceEvent, type RecordSink } from '../telephony/telephony.js';
import { FlushTimers } from './flush.js';
import type { Icon } from './icon.js';
import { quietFlushCycles } from './quiet.js';
import { SerialSet } from './serial-set.js';
import {
  ACTIVE,
  KEY_STEP,
  RecordStream,
  SERIAL_STEP,
  type Booker,
  type CycleRoller,
  type OldBooker,
} from './stream.js';

/** How a record an IDB still holds open stands at the source at the end. */
export const enum CallFate {
  /** The source still has the call under this identity. */
  Live = 0,
  /** Released, or known under another identity since: the record never closes. */
  Ended = 1,
  /** The source lost service while the call ran and never spoke of it again. */
  Unknown = 2,
}

export class SourceLog implements RecordSink, Booker, OldBooker, CycleRoller {
  /** The records emitted, for the ICONs' accumulators. */
  readonly stream = new RecordStream();
  /** The primary the ICONs' cached reception was worked out for (see Icon.attend). */
  primary: App | undefined = undefined;
  readonly icons: Icon[] = [];
  /** The ICONs' flush timers (in the order of `icons`, as attended). */
  readonly flushes: FlushTimers;
  /**
   * Calls active when the source lost service and not heard of since: they may have ended
   * while no primary served (then no release ever comes).
   */
  private readonly orphans = new SerialSet();
  /**
   * The highest serial ever made an orphan, and ever given an alias: no orphan and no aliased
   * call is above them.
   */
  private maxOrphan = -1;
  private maxAliased = -1;
  /** Calls reported under a new identity since a switchover: serial → current alias (< 0). */
  private readonly alias = new Map<number, number>();
  private readonly serialOfAlias = new Map<number, number>();
  private nextAlias = -1;
  /** Sequence number at the start of each reporting window, and the window start times. */
  readonly windowSeq: number[] = [0];
  readonly windowStartMs: number[] = [0];
  private inService: boolean;

  constructor(
    private readonly ctx: SimContext,
    readonly pool: number,
    readonly pair: HaPair,
    /** The ICONs' ADDP timeout: a record that long after the one before touches their links now. */
    addpMs: number,
  ) {
    this.stream.addpMs = addpMs;
    this.flushes = new FlushTimers(ctx);
    this.inService = pair.primaryInService() !== undefined;
    this.stream.booker = this;
    if (quietFlushCycles.roll) this.stream.roller = this;
    pair.onStateChange(() => this.onPairState());
    for (const m of pair.members) m.view = new PrimaryWatch(m.view, this.stream);
  }

  /** Next sequence number = events emitted so far. */
  get seq(): number {
    return this.stream.seq;
  }

  /**
   * Telephony (RecordSink): the pool's primary emitted an event that the stream's lane did not
   * take (RecordStream.tryAppend, which telephony asks first): the stream is held, full, or some
   * ICON must look at the record (`RecordStream.attn`: a change of reception, a first record or
   * a full accumulator; `dueMs`: a quiet flush cycle's end; an ADDP timeout or more since the
   * record before). One record per source, whatever the number of ICONs: appended to the stream
   * as emitted (booked later, see `book`). (The primary is the one the ICONs' reception was worked
   * out for: a change of a member's status or role holds the stream, PrimaryWatch, so the record
   * after it comes here.) A record the lane would have taken does here what the lane does.
   */
  record(ev: SourceEvent, id: number): void {
    const stream = this.stream;
    const now = this.ctx.nowMs;
    const prevMs = stream.lastMs;
    const seq = stream.push(ev, id, now);
    const primary = this.pair.primaryInService();
    if (primary !== this.primary) this.primaryChanged(primary, seq, prevMs);
    stream.release();
    if (primary === undefined) return;
    const gap = now - prevMs >= stream.addpMs;
    if (seq < stream.attn && !gap && now < stream.dueMs) return;
    this.attend(seq, now, prevMs, primary, gap);
  }

  /**
   * RecordStream's CycleRoller: `record` and `attend` for record `seq` at `now` (appended
   * already) that the lane refused only because some ICON's quiet flush cycle is due
   * (RecordStream.tryRoll): the stream is not held, so the primary is the one the ICONs'
   * reception was worked out for (`record` would find no change); no ADDP gap; below every
   * ICON's attn. Each ICON ends its due cycle (Icon.roll); attn and dueMs follow.
   */
  roll(seq: number, now: number): void {
    const icons = this.icons;
    for (let i = 0; i < icons.length; i++) icons[i]!.roll(seq, now);
    this.followIcons();
  }

  /**
   * RecordStream's Booker: books the records [stream.booked, to) as emitted: each call record
   * under the identity the ICONs see it under (the call's alias after its identity was lost,
   * else its serial), with the source's active calls and orphans kept up.
   */
  book(to: number): void {
    const st = this.stream;
    // Only calls that existed when the source last lost service (or lost a call's identity) can
    // be orphans (or have an alias): serials above both take the plain step. (A batch changes
    // neither bound, nor adds an alias or an orphan: those changes book the records first.)
    const plain = Math.max(
      this.alias.size > 0 ? this.maxAliased : -1,
      this.orphans.size > 0 ? this.maxOrphan : -1,
    );
    st.bookRange(to, plain, this);
  }

  /** Books a call record of a serial that may have an alias or be an orphan. */
  bookOld(s: number, ev: SourceEvent, serial: number): void {
    let key = serial;
    if (serial <= this.maxAliased && this.alias.size > 0) key = this.alias.get(serial) ?? serial;
    if (serial <= this.maxOrphan && this.orphans.size > 0) this.orphans.delete(serial); // heard of again
    if (key === serial) {
      this.stream.bookCall(s, ev, serial, SERIAL_STEP);
      return;
    }
    // Under its alias: the serial's own byte says whether the call is active.
    this.stream.bookCall(s, ev, key, KEY_STEP);
    if (ev === SourceEvent.CallCreated) {
      const view = this.stream.view;
      view.set(serial, view.get(serial) | ACTIVE);
    } else if (ev === SourceEvent.Released) this.forget(serial, key);
  }

  /** The primary differs from the one the ICONs' reception was worked out for. */
  private primaryChanged(primary: App | undefined, seq: number, prevMs: number): void {
    this.primary = primary;
    const icons = this.icons;
    for (let i = 0; i < icons.length; i++) icons[i]!.suspend(seq, prevMs);
  }

  /** The ICONs look at record `seq` (see Icon.attend). */
  private attend(seq: number, now: number, prevMs: number, primary: App, gap: boolean): void {
    const m = this.pair.members[0] === primary ? 0 : 1;
    const icons = this.icons;
    for (let i = 0; i < icons.length; i++) icons[i]!.attend(seq, now, prevMs, primary, m, gap);
    this.followIcons();
  }

  /** The stream's attn and dueMs after the ICONs looked at a record: the earliest of theirs. */
  private followIcons(): void {
    const icons = this.icons;
    let attn = Infinity;
    let due = Infinity;
    for (let i = 0; i < icons.length; i++) {
      attn = Math.min(attn, icons[i]!.attn);
      due = Math.min(due, icons[i]!.dueMs);
    }
    this.stream.setAttn(attn);
    this.stream.dueMs = due;
  }

  /**
   * The pair lost or regained service. At a loss every active call becomes an orphan: it may end
   * while no primary serves, and then no release ever comes. (A site failure drops every call:
   * orphans never heard of again.)
   */
  private onPairState(): void {
    this.stream.sync();
    const now = this.pair.primaryInService() !== undefined;
    if (this.inService && !now) {
      const max = this.stream.view.addKeysWith(ACTIVE, this.orphans);
      if (max > this.maxOrphan) this.maxOrphan = max;
    }
    this.inService = now;
  }

  /** Telephony: the call lost its control; the source reports it from now on under a new ConnID. */
  degraded(serial: number): void {
    this.stream.sync();
    this.rename(serial);
  }

  /**
   * Telephony: graceful shutdown sent the call to the peer pool. It is no longer this source's
   * call (its release was booked already if this source was in service to report it).
   */
  moved(serial: number): void {
    this.stream.sync();
    if ((this.stream.view.get(serial) & ACTIVE) === 0) return;
    this.forget(serial, this.alias.get(serial) ?? serial);
  }

  private forget(serial: number, key: number): void {
    const view = this.stream.view;
    const v = view.get(serial);
    if (v & ACTIVE) view.set(serial, v & ~ACTIVE);
    if (serial <= this.maxOrphan) this.orphans.delete(serial);
    if (key !== serial) {
      this.alias.delete(serial);
      this.serialOfAlias.delete(key);
    }
  }

  private rename(serial: number): void {
    const prev = this.alias.get(serial);
    if (prev !== undefined) this.serialOfAlias.delete(prev);
    const a = this.nextAlias--;
    if (serial > this.maxAliased) this.maxAliased = serial;
    this.alias.set(serial, a);
    this.serialOfAlias.set(a, serial);
  }

  /** The fate of a record an IDB holds open under identity `key` at the end of the run. */
  fate(key: number): CallFate {
    this.stream.sync();
    const serial = key < 0 ? this.serialOfAlias.get(key) : key;
    if (serial === undefined || (this.stream.view.get(serial) & ACTIVE) === 0)
      return CallFate.Ended;
    if ((this.alias.get(serial) ?? serial) !== key) return CallFate.Ended;
    return this.orphans.has(serial) ? CallFate.Unknown : CallFate.Live;
  }

  /** Calls the source tracks as running (active, not orphaned). */
  get trackedLive(): number {
    this.stream.sync();
    return this.stream.view.countWith(ACTIVE) - this.orphans.size;
  }

  get orphanCount(): number {
    this.stream.sync();
    return this.orphans.size;
  }
}

/**
 * Told of every status and role change of a member of the source pair (before the pair, which
 * it tells next): the primary in service may change, so the stream is held until a record looks
 * at it (SourceLog.record). The record fast path then need not ask the pair on every record.
 */
class PrimaryWatch implements AppStateView {
  constructor(
    private readonly next: AppStateView | undefined,
    private readonly stream: RecordStream,
  ) {}

  appStateChanged(): void {
    this.stream.hold();
    this.next?.appStateChanged();
  }
}

/**
 * Records an IDB still has open at the end for calls that ended: released (the release was
 * missed), or continued under a new identity, or lost by the source during a service loss —
 * minus those of the last kind that may still run (`liveUnknown`, exact when 0, the usual case
 * long after a fault).
 */
export function stuckCount(
  open: (fn: (key: number) => void) => void,
  src: SourceLog,
  liveUnknown: number,
): number {
  let ended = 0;
  let unknown = 0;
  open((key) => {
    const f = src.fate(key);
    if (f === CallFate.Ended) ended++;
    else if (f === CallFate.Unknown) unknown++;
  });
  return ended + Math.max(0, unknown - liveUnknown);
}
