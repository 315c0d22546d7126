// One Interaction Concentrator (DOMAIN §8, seed 001): client connections to its source telephony
// pair, which records reach it, the holes in its IDB's data and its data-source sessions. What
// it does with the records (accumulator → persistent queue → IDB, and the IDB's view of calls)
// is store.ts. ICONs have no roles and never switch over: each one records what it receives on
// its own.
// The connections follow the source pair's redundancy (DOMAIN §4). Warm standby: one connection,
// to the current primary; a switchover closes it and the ICON reconnects to the new primary after
// reconnect-timeout, losing the events of that window. Hot standby: one connection to each running
// member; the ICON receives from whichever member is the primary in service, so after a promotion
// it receives from the new primary at once (a demoted member keeps its clients; a restarted member
// is connected again as soon as it is Started). Each connection has its own ADDP and its own
// data-source session.
// Leaves out: connection set-up time (a connection opens at once when both ends are reachable),
// network latency of source events (an event reaches an ICON iff the path is up when it is
// emitted).

import { assert, assertNever, uniform, type EventId, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import {
  ClientEvent,
  clientEvent,
  Effect,
  follow,
  modeOf,
  outlook,
  receivesFrom,
  serverEvent,
  ServerEnd,
  type ClientMode,
  type ClientSide,
  type Outlook,
} from '../ha-pair/client.js';
import type { HaPair } from '../ha-pair/pair.js';
import { AddpLink, type AddpEndpoint, type TrafficFeed } from '../network/addp.js';
import type { PathWatcher } from '../network/network.js';
import type { SeqRanges } from './intervals.js';
import type { FlushTimers } from './flush.js';
import { SessionLog, type DssSession, type SessionEnd, type SessionStart } from './session.js';
import { QuietCycles } from './quiet.js';
import { IdbStore } from './store.js';
import type { RecordStream } from './stream.js';
import type { HostId } from '../../spec/types.js';

/** Warm: the next attempt to connect to the current primary. */
const K_RETRY = 1;
/** Hot: the next attempt to connect to member `kind - K_RETRY_MEMBER`. */
const K_RETRY_MEMBER = 2;

export class Icon implements Handler, AddpEndpoint, ClientSide, TrafficFeed, PathWatcher {
  /**
   * One client connection per member of the source pair; the ICON is connected to a member while
   * its end of that link is open. Warm: at most one is open; hot: one per running member.
   */
  private readonly links: [AddpLink, AddpLink];
  /** The source pair is hot standby: the ICON connects to both members. */
  private readonly hot: boolean;
  private readonly mode: ClientMode;
  /** How the ICON follows its source pair (ha-pair/client.ts): one state byte. */
  private readonly link = new Uint8Array(1);
  /** Warm: the pending reconnection attempt. */
  private retryEv: EventId = -1;
  /** Hot: the pending reconnection attempt to each member. */
  private readonly memberRetryEv: [EventId, EventId] = [-1, -1];
  /** This ICON's index among the flush timers of its source's ICONs. */
  private readonly flushI: number;
  /** Bumped at every crash: timers of an earlier process are ignored. */
  private gen = 0;
  /** Hot: the member the ICON receives from now (-1: none), and the last one it received from. */
  private activeM = -1;
  private lastActiveM = -1;
  private readonly rng;
  private readonly reconnectMs: number;
  private readonly addpMs: number;
  private readonly lifespanMs: number;
  private readonly pqRestoreFailP: number;
  private readonly hid: number = -1; // this handler's number in the simulator (ctx.handler)
  /** The accumulator, persistent queue, IDB and the IDB's view of calls. */
  readonly store: IdbStore;
  /** When the accumulator's first record arrived. */
  private accStartMs = 0;
  /** Flush cycles worked out without an event while nothing changes (quiet.ts). */
  private readonly cycles: QuietCycles;

  // ---- reception of the source's records, worked out once per change (see attend) ----
  /** Something reception depends on changed: worked out again at the next record. */
  private stale = true;
  /** The ICON receives the source's records (from member `rxM`, the primary) since `rxSince`. */
  private rx = false;
  private rxM: 0 | 1 = 0;
  private rxSince = 0;
  /** The first record this ICON must look at itself (0: stale); the rest need no work here. */
  attn = 0;
  /** ADDP: the member whose link's touches are held (-1: none), from this record on. */
  private lazyM: -1 | 0 | 1 = -1;
  private lazySince = 0;
  /** Times the IDB's data has a hole: the ICON could not receive while the source served. */
  readonly holes: [number, number][] = [];
  private holeStartMs = -1;
  /** The data-source sessions of the connections (session.ts). */
  private readonly log: SessionLog;

  constructor(
    private readonly env: Env,
    readonly app: App,
    readonly idb: string,
    readonly pair: HaPair,
    /** The source's records. */
    private readonly stream: RecordStream,
    /** The flush timers of the source's ICONs. */
    private readonly flushes: FlushTimers,
  ) {
    const { ctx, opts } = env;
    this.hid = ctx.handler(this);
    this.flushI = flushes.add(this);
    this.rng = ctx.stream(`icon/${app.id}`);
    this.reconnectMs = opts.ms('reconnect-timeout');
    this.addpMs = opts.ms('client-addp-timeout');
    this.lifespanMs = opts.ms('acc-queue-lifespan');
    this.pqRestoreFailP = opts.num('pq-restore-failure-probability');
    this.log = new SessionLog(pair.redundancy === 'hot', opts.bool('use-dss-monitor'));
    this.store = new IdbStore(app.id, opts.num('acc-queue-size'), opts.num('pq-size-max'), stream);
    this.cycles = new QuietCycles(ctx, this.store, stream, flushes, this.flushI, this.lifespanMs);
    const [a, b] = pair.members;
    const t: [number, number] = [this.addpMs, 0];
    this.links = [
      new AddpLink(ctx, env.net, `${app.id}>${a.id}`, this, new ServerEnd(a), t),
      new AddpLink(ctx, env.net, `${app.id}>${b.id}`, this, new ServerEnd(b), t),
    ];
    this.links[0].setFeed(this);
    this.links[1].setFeed(this);
    env.net.watch(this); // a partition stops the records on their way
    this.hot = pair.redundancy === 'hot';
    this.mode = modeOf(pair.redundancy);
    app.listen({ onAppChanged: (_x, c) => this.onIconChanged(c) });
    pair.members.forEach((m, i) =>
      m.listen({ onAppChanged: (_x, c) => this.onServerChanged(i as 0 | 1, c) }),
    );
    pair.onStateChange(() => this.refresh());
    if (app.status === 'started') this.start('first-connect');
  }

  get id(): string {
    return this.app.id;
  }

  /** The data-source sessions, in the order they began. */
  get sessions(): readonly DssSession[] {
    return this.log.sessions;
  }

  /** When the open quiet flush cycle's flush is due (quiet.ts; Infinity: none). */
  get dueMs(): number {
    return this.cycles.dueMs;
  }

  // ---- AddpEndpoint (the ICON's end of its client connections) ----

  get hostId(): HostId {
    return this.app.host.id;
  }

  addpAlive(): boolean {
    return this.app.up;
  }

  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void {
    const m = link === this.links[0] ? 0 : 1;
    this.endSession(m, reason);
    if (this.hot) {
      // Not 'lost': in the timeline that state is a failure the SCS detects.
      this.env.ctx.trace(link.label, 'disconnected', reason);
      // The ICON's source is gone unless it already receives from the other member.
      if (m === this.lastActiveM && this.activeM !== 1 - m) {
        this.env.ctx.trace(
          this.app.id,
          'source-disconnected',
          `${this.pair.members[m].id} ${reason}`,
        );
      }
    } else this.env.ctx.trace(this.app.id, 'source-disconnected', reason);
    this.follow(ClientEvent.LinkLost, m);
    this.refresh();
  }

  // ---- source records (hot path: no allocation) ----

  /**
   * Record `seq` at `now` while `primary` (member `m`) served; called when `seq >= attn` or at a
   * `gap` (an ADDP timeout or more after the record before). It reaches the accumulator when the
   * ICON runs, is connected to that very server and the path is up: worked out after a change
   * only (`invalidate`); between changes records join the open run with no work here. A record
   * answers the ICON's ADDP: in a quiet cycle the touches are held and the link gets the last
   * when it next looks (`settleTraffic`); a first record and one after a gap touch it now.
   */
  attend(seq: number, now: number, prevMs: number, primary: App, m: 0 | 1, gap: boolean): void {
    if (this.stale) this.recheck(seq, prevMs, primary, m);
    else if (seq < this.attn && !gap && now < this.cycles.dueMs) return;
    if (!this.rx) {
      if (this.holeStartMs < 0) this.holeStartMs = now;
      this.attn = this.nextAttn();
      return;
    }
    if (this.holeStartMs >= 0) this.closeHole(now);
    if (this.lazyM < 0 || gap || seq === this.rxSince) {
      this.settle(seq, prevMs);
      this.lazySince = seq + 1;
      this.links[this.rxM].touch(0);
    }
    const store = this.store;
    const cycles = this.cycles;
    const n = cycles.on ? 0 : store.accN;
    if (cycles.on || (n === 1 && cycles.begin(this.lazyM >= 0))) {
      this.attn = cycles.record(seq, now);
      return;
    }
    if (n === 1) {
      this.accStartMs = now;
      this.flushes.arm(this.flushI, now + this.lifespanMs);
    }
    if (n >= store.accSize) this.flush();
    this.attn = this.nextAttn();
  }

  /**
   * `attend` for record `seq` at `now` below `attn` with no ADDP gap (SourceLog.roll): nothing,
   * unless the quiet flush cycle is due; then only the cycles take it. A cycle is open only
   * while its flushes are quiet (QuietCycles.begin: receiving, the hole closed, the link's
   * touches held, past the record reception began at), and every change of those ends the
   * cycles first (`wake`), so `attend` would take no other branch: checked here.
   */
  roll(seq: number, now: number): void {
    if (seq < this.attn && now < this.cycles.dueMs) return;
    // Compared with true and false: the fields are booleans, and a bare truth test compiles to
    // a check against every falsy kind of value.
    assert(
      this.cycles.on === true &&
        this.stale === false &&
        this.rx === true &&
        this.holeStartMs < 0 &&
        this.lazyM >= 0 &&
        seq !== this.rxSince,
      'Icon.roll: a quiet flush cycle is due, but the cycles are not quiet',
    );
    this.attn = this.cycles.record(seq, now);
  }

  /** Ends the quiet flush cycles before a change (records from `seq` on come after it). */
  private wake(seq: number): void {
    const startMs = this.cycles.wake(seq);
    if (startMs >= 0) this.accStartMs = startMs;
  }

  /** Something reception depends on changed: the next record works it out again. */
  invalidate(): void {
    this.wake(this.stream.seq);
    this.stale = true;
    this.attn = 0;
    this.stream.setAttn(0);
  }

  /** PathWatcher: a partition, a heal or a host's power changed. */
  pathChanged(): void {
    this.invalidate();
  }

  /** The next record this ICON must look at itself. */
  private nextAttn(): number {
    if (this.stale) return 0;
    const next = this.stream.seq;
    if (!this.rx) return this.holeStartMs < 0 ? next : Infinity;
    if (this.cycles.on) return this.cycles.nextSeen();
    if (this.lazyM < 0 || this.store.accN === 0) return next;
    return this.store.fullAtSeq();
  }

  private updateAttn(): void {
    this.attn = this.nextAttn();
    this.stream.setAttn(Math.min(this.stream.attn, this.attn));
  }

  /** Works out reception from record `seq` on (the records before it are settled). */
  private recheck(seq: number, prevMs: number, primary: App, m: 0 | 1): void {
    this.suspend(seq, prevMs);
    this.stale = false;
    this.rxM = m;
    this.rx = this.receivesNow(primary, m);
    if (!this.rx) return;
    this.store.open(seq);
    this.rxSince = seq;
    this.lazyM = this.links[m].quiet(0) ? m : -1;
    this.lazySince = seq;
  }

  /** No record from `seq` on reaches the ICON until reception is worked out again. */
  suspend(seq: number, prevMs: number): void {
    this.wake(seq);
    this.settle(seq, prevMs);
    this.lazyM = -1;
    this.store.close(seq);
    this.rx = false;
    this.invalidate();
  }

  /** The held touches of the records before `seq` (the last at `atMs`) reach the link. */
  private settle(seq: number, atMs: number): void {
    if (this.lazyM >= 0 && seq > this.lazySince) {
      this.lazySince = seq;
      this.links[this.lazyM as 0 | 1].deferredTraffic(0, atMs);
    }
  }

  settleTraffic(link: AddpLink): void {
    if (this.lazyM >= 0 && link === this.links[this.lazyM as 0 | 1])
      this.settle(this.stream.seq, this.stream.lastMs);
  }

  linkChanged(): void {
    this.invalidate();
  }
  /** The member whose events (as primary) reach this ICON now, -1 when none. */
  private receivingFrom(primary: App): -1 | 0 | 1 {
    const m = this.pair.members[0] === primary ? 0 : 1;
    return this.receivesNow(primary, m) ? m : -1;
  }

  /** Events of `primary`, member `m` of the pair, reach this ICON now. */
  private receivesNow(primary: App, m: 0 | 1): boolean {
    return (
      this.app.status === 'started' &&
      receivesFrom(this.link[0]!, this.mode, m) &&
      this.links[m].isOpen(1) &&
      // A running ICON's host is powered: only a partition can stop the event on its way.
      (this.env.net.partitionCount === 0 ||
        !this.env.net.partitioned(primary.host.id, this.app.host.id))
    );
  }

  // ---- pipeline ----

  /** The accumulator goes to the persistent queue (or straight to a reachable IDB). */
  private flush(): void {
    this.flushes.disarm(this.flushI);
    if (this.store.flush() > 0) this.holes.push([this.accStartMs, this.env.ctx.nowMs]);
    this.updateAttn();
  }

  /** At restart the ICON reloads its persistent queue from disk (store.ts). */
  private restorePq(): void {
    const n = this.store.restorePq(this.rng, this.pqRestoreFailP);
    if (n > 0)
      this.env.ctx.trace(`${this.app.id}:${this.idb}`, 'pq-restore-failed', `${n} records lost`);
  }

  /** The IDB writer catches up: everything queued is written (a reachable IDB keeps up). */
  private drain(): void {
    if (this.app.status === 'started') this.store.drain();
  }

  // ---- connection to the source ----

  /** The ICON process (re)started: it connects to its source. */
  private start(reason: 'first-connect' | 'icon-restart'): void {
    this.log.started(reason);
    this.follow(ClientEvent.ClientStarted, 0);
  }

  /** One event of the client machine (ha-pair/client.ts), its effects carried out here. */
  private follow(ev: ClientEvent, m: 0 | 1): void {
    follow(this.link, 0, this.mode, this.pair.members, ev, m, this);
    this.invalidate();
  }

  outlookOf(_c: number, server: App | undefined): Outlook {
    return outlook(
      this.app.status === 'started',
      server,
      server !== undefined && this.reachable(server),
    );
  }

  effects(_c: number, fx: number, m: 0 | 1): void {
    const link = this.links[m];
    if (fx & Effect.CancelRetry) this.cancelRetry(m);
    if (fx & Effect.ServerClosed) link.closeFrom(1); // the ICON hears the close
    if (fx & Effect.ServerGone) link.dropSilently(1); // only ADDP tells the ICON
    if (fx & (Effect.CloseClient | Effect.DropClient) && link.isOpen(0)) {
      const silent = (fx & Effect.DropClient) !== 0;
      if (silent) link.dropSilently(0);
      else link.closeFrom(0);
      this.endSession(m, silent ? 'icon-host-lost' : 'icon-crash');
    }
    if (fx & Effect.Connect) this.connect(m);
    if (fx & Effect.ArmRetry) {
      if (this.hot) this.scheduleMemberRetry(m);
      else this.scheduleRetry();
    }
    if (fx & Effect.Refresh) this.refresh();
  }

  /** Opens the connection to member `m` (the machine decided it succeeds now). */
  private connect(m: 0 | 1): void {
    const target = this.pair.members[m];
    const reason = this.log.reasonFor(m, target);
    this.open(m, reason);
    if (this.hot) this.env.ctx.trace(this.links[m].label, 'connected', reason);
    else this.env.ctx.trace(this.app.id, 'source-connected', `${target.id} ${reason}`);
  }

  private reachable(target: App): boolean {
    return this.env.net.reachable(this.app.host.id, target.host.id);
  }

  /** Opens the connection to member `m` and its data-source session. */
  private open(m: 0 | 1, reason: SessionStart): void {
    const { ctx } = this.env;
    // The first connection polls at a random phase; later ones start their ADDP cycle now.
    const phase = reason === 'first-connect' ? Math.floor(uniform(this.rng, 0, this.addpMs)) : 0;
    this.links[m].connect([phase, 0]);
    this.log.begin(m, this.pair.members[m].id, ctx.nowMs, reason);
  }

  /** Genesys warm client: the next attempt comes reconnect-timeout later. */
  private scheduleRetry(): void {
    if (this.retryEv >= 0 || !this.app.up) return;
    this.retryEv = this.env.ctx.schedule(this.reconnectMs, this.hid, K_RETRY, this.gen);
  }

  /** Hot: the next attempt to reach member `m` comes reconnect-timeout later. */
  private scheduleMemberRetry(m: 0 | 1): void {
    if (this.memberRetryEv[m] >= 0 || !this.app.up) return;
    this.memberRetryEv[m] = this.env.ctx.schedule(
      this.reconnectMs,
      this.hid,
      K_RETRY_MEMBER + m,
      this.gen,
    );
  }

  private cancelRetry(m: 0 | 1): void {
    const { ctx } = this.env;
    if (this.hot) {
      if (this.memberRetryEv[m] >= 0) ctx.cancel(this.memberRetryEv[m]);
      this.memberRetryEv[m] = -1;
    } else {
      if (this.retryEv >= 0) ctx.cancel(this.retryEv);
      this.retryEv = -1;
    }
  }

  private endSession(m: 0 | 1, reason: SessionEnd): void {
    this.log.end(m, this.env.ctx.nowMs, reason);
  }

  private onServerChanged(m: 0 | 1, c: AppChange): void {
    const ev = serverEvent(c);
    if (ev !== undefined) this.follow(ev, m);
    this.refresh();
  }

  private onIconChanged(c: AppChange): void {
    this.wake(this.stream.seq);
    switch (c.type) {
      case 'app.crashed':
      case 'app.vanished':
        this.stop();
        this.follow(clientEvent(c)!, 0);
        this.activeM = -1;
        this.lastActiveM = -1;
        break;
      case 'app.started':
        this.store.closeCallsAtRestart();
        this.restorePq();
        this.drain();
        this.start('icon-restart');
        break;
      case 'app.unhung':
        this.drain();
        if (this.store.accN > 0 && !this.flushes.armed(this.flushI)) this.flush();
        break;
      case 'app.hung':
      case 'app.promoted':
      case 'app.demoted':
      case 'app.serviceChanged':
      case 'app.guardChanged':
        break;
      default:
        assertNever(c, 'app change');
    }
    this.refresh();
  }

  /** The process is gone: the accumulator is lost; the persistent queue stays on disk. */
  private stop(): void {
    this.gen++;
    if (this.store.loseAccumulator() > 0) this.holes.push([this.accStartMs, this.env.ctx.nowMs]);
    this.invalidate();
    this.flushes.disarm(this.flushI);
  }

  onEvent(kind: number, gen: number): void {
    if (gen !== this.gen) return;
    switch (kind) {
      case K_RETRY:
        this.retryEv = -1;
        this.follow(ClientEvent.RetryDue, 0);
        return;
      case K_RETRY_MEMBER:
      case K_RETRY_MEMBER + 1: {
        const m = (kind - K_RETRY_MEMBER) as 0 | 1;
        this.memberRetryEv[m] = -1;
        this.follow(ClientEvent.RetryDue, m);
        return;
      }
      default:
        assert(false, `ICON: unknown event kind ${kind}`);
    }
  }

  /** The flush timer ran (FlushTimers): a hung process flushes nothing; it resumes if unhung. */
  flushDue(): void {
    if (this.app.status !== 'hung') this.flush();
  }

  // ---- IDB outage ----

  idbDown(cause: string): void {
    if (!this.store.idbUp) return;
    this.wake(this.stream.seq);
    this.store.idbUp = false;
    this.env.ctx.trace(`${this.app.id}:${this.idb}`, 'down', cause);
  }

  idbRestore(cause: string): void {
    if (this.store.idbUp) return;
    this.wake(this.stream.seq);
    this.store.idbUp = true;
    this.env.ctx.trace(`${this.app.id}:${this.idb}`, 'up', cause);
    this.drain();
  }

  // ---- holes (gap_s) ----

  /**
   * Re-evaluates whether the IDB's data has a hole now (called at every state change), and for a
   * hot-standby source, which member the ICON receives from.
   */
  private refresh(): void {
    this.invalidate();
    const now = this.env.ctx.nowMs;
    const primary = this.pair.primaryInService();
    const m = primary === undefined ? -1 : this.receivingFrom(primary);
    if (this.hot && m !== this.activeM) {
      if (m === -1) this.activeM = -1;
      else this.activate(m);
    }
    // With no primary in service the source emits nothing: no ICON can be blamed for a hole.
    const ok = primary === undefined || m !== -1;
    if (ok && this.holeStartMs >= 0) this.closeHole(now);
    else if (!ok && this.holeStartMs < 0) this.holeStartMs = now;
  }

  /**
   * Hot: the ICON receives from member `m` now, over a connection already open. After receiving
   * from the other member, that is a switchover: recorded on the connection's session (see
   * DssSession), not as a new one.
   */
  private activate(m: 0 | 1): void {
    const switchover = this.lastActiveM >= 0 && this.lastActiveM !== m;
    this.activeM = m;
    this.lastActiveM = m;
    if (switchover) this.log.switchover(m, this.env.ctx.nowMs);
    this.env.ctx.trace(
      this.app.id,
      'source-connected',
      `${this.pair.members[m].id} ${switchover ? 'switchover' : this.log.connReason[m]}`,
    );
  }

  private closeHole(now: number): void {
    if (now > this.holeStartMs) this.holes.push([this.holeStartMs, now]);
    this.holeStartMs = -1;
  }

  /**
   * The end of the run: an open hole closes; what a running ICON still holds in memory counts
   * as flushed (it would be within acc-queue-lifespan: the horizon cuts no data off).
   */
  finish(endMs: number): void {
    this.wake(this.stream.seq);
    if (this.holeStartMs >= 0) this.closeHole(endMs);
    if (this.store.accN > 0 && this.app.status === 'started') this.flush();
  }

  /** Everything that reached the IDB or waits safely in its persistent queue. */
  kept(): SeqRanges {
    return this.store.kept();
  }
}
