// One Interaction Concentrator (DOMAIN §8, seed 001): a client connection to the current primary
// of its source telephony pair, the pipeline in-memory accumulator → persistent queue → IDB, and
// the IDB's view of calls (open call and party records) from which stuck calls are counted.
// ICONs have no roles and never switch over: each one records what it receives on its own.
// Leaves out: connection set-up time (a connection opens at once when both ends are reachable),
// network latency of source events (an event reaches an ICON iff the path is up when it is
// emitted), DB Server↔RDBMS failures, and the IDB write rate (a reachable IDB keeps up).

import { assert, uniform, type EventId, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import { AddpLink, type AddpEndpoint } from '../network/addp.js';
import { SourceEvent } from '../telephony/telephony.js';
import { RangeFifo, SeqRanges } from './intervals.js';

/** Why a data-source session (G_DSS_*) began. */
export type SessionStart = 'first-connect' | 'icon-restart' | 'reconnect' | 'source-restart' | 'switchover';
/** Why it ended, as the ICON saw it. */
export type SessionEnd = 'closed' | 'addp-timeout' | 'icon-crash' | 'icon-host-lost';

/** One data-source session: the ICON connected to one server process from `fromMs` to `toMs`. */
export interface DssSession {
  server: string;
  fromMs: number;
  /** Undefined while the session is still open at the end of the run. */
  toMs: number | undefined;
  reason: SessionStart;
  endReason: SessionEnd | undefined;
}

const K_FLUSH = 0;
const K_RETRY = 1;

/** The server end of an ICON's client connection (the ICON is side 0, the server side 1). */
class ServerEnd implements AddpEndpoint {
  constructor(readonly app: App) {}
  get hostId(): string {
    return this.app.host.id;
  }
  addpAlive(): boolean {
    return this.app.up;
  }
  onConnectionLost(): void {
    // A server forgets a lost client; only the ICON acts on the loss.
  }
}

export class Icon implements Handler, AddpEndpoint {
  /** One client connection per member of the source pair; at most one is open. */
  private readonly links: [AddpLink, AddpLink];
  /** Member the ICON is connected to (its end open), -1 when none. */
  private conn = -1;
  private retryEv: EventId = -1;
  private flushEv: EventId = -1;
  /** Bumped at every crash: timers of an earlier process are ignored. */
  private gen = 0;
  private lastServer: App | undefined;
  private lastServerIncarnation = -1;
  private readonly rng;
  private readonly reconnectMs: number;
  private readonly addpMs: number;
  private readonly lifespanMs: number;
  private readonly accSize: number;
  private readonly pqMax: number;
  private readonly dss: boolean;

  /** The IDB is reachable (idb-down / idb-up). */
  idbUp = true;

  // ---- in-memory accumulator (bounded by acc-queue-size: preallocated) ----
  private readonly accSeq: Float64Array;
  private readonly accEv: Uint8Array;
  private readonly accId: Float64Array;
  private accN = 0;
  private accStartMs = 0;

  // ---- persistent queue and IDB ----
  /** Records in the persistent queue (survive an ICON restart; written when the IDB is up). */
  readonly pq = new RangeFifo();
  /** Source sequence numbers written to the IDB. */
  readonly written = new SeqRanges();

  // ---- the IDB's view of calls (what the records that reach it say) ----
  /** Calls with an open call record (call serials). */
  readonly calls = new Set<number>();
  /** Calls with an open party record (one agent party per call in this model). */
  readonly parties = new Set<number>();

  // ---- counters ----
  received = 0;
  lostInMemory = 0;
  lostOverflow = 0;
  attachedDataStored = 0;
  callsClosedAtRestart = 0;
  /** Call records begun without their creation (missing transitions). */
  callsPartial = 0;

  /** Times the IDB's data has a hole: the ICON could not receive while the source served. */
  readonly holes: [number, number][] = [];
  private holeStartMs = -1;
  readonly sessions: DssSession[] = [];
  private session: DssSession | undefined;

  constructor(
    private readonly env: Env,
    readonly app: App,
    readonly idb: string,
    readonly pair: HaPair,
  ) {
    const { ctx, opts } = env;
    this.rng = ctx.stream(`icon/${app.id}`);
    this.reconnectMs = opts.ms('reconnect-timeout');
    this.addpMs = opts.ms('client-addp-timeout');
    this.lifespanMs = opts.ms('acc-queue-lifespan');
    this.accSize = opts.num('acc-queue-size');
    this.pqMax = opts.num('pq-size-max');
    this.dss = opts.bool('use-dss-monitor');
    assert(Number.isInteger(this.accSize) && this.accSize >= 1, () => `acc-queue-size must be a whole number >= 1, got ${this.accSize}`);
    this.accSeq = new Float64Array(this.accSize);
    this.accEv = new Uint8Array(this.accSize);
    this.accId = new Float64Array(this.accSize);
    const [a, b] = pair.members;
    const t: [number, number] = [this.addpMs, 0];
    this.links = [
      new AddpLink(ctx, env.net, `${app.id}>${a.id}`, this, new ServerEnd(a), t),
      new AddpLink(ctx, env.net, `${app.id}>${b.id}`, this, new ServerEnd(b), t),
    ];
    app.listen({ onAppChanged: (_x, c) => this.onIconChanged(c) });
    pair.members.forEach((m, i) => m.listen({ onAppChanged: (_x, c) => this.onServerChanged(i, c) }));
    pair.onStateChange(() => this.refresh());
    if (app.status === 'started') this.tryConnect('first-connect');
  }

  get id(): string {
    return this.app.id;
  }

  // ---- AddpEndpoint (the ICON's end of its client connections) ----

  get hostId(): string {
    return this.app.host.id;
  }

  addpAlive(): boolean {
    return this.app.up;
  }

  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void {
    const m = link === this.links[0] ? 0 : 1;
    if (m !== this.conn) return;
    this.conn = -1;
    this.endSession(reason);
    this.env.ctx.trace(this.app.id, 'source-disconnected', reason);
    this.refresh();
    this.scheduleRetry();
  }

  // ---- source events (hot path: no allocation) ----

  /**
   * The source emitted event `seq` while `primary` served. Stored in the accumulator when this
   * ICON runs, is connected to that very server, and the path from it is up.
   */
  receive(seq: number, ev: SourceEvent, id: number, primary: App): void {
    if (!this.canReceive(primary)) {
      if (this.holeStartMs < 0) this.holeStartMs = this.env.ctx.nowMs;
      return;
    }
    if (this.holeStartMs >= 0) this.closeHole(this.env.ctx.nowMs);
    this.received++;
    const n = this.accN;
    this.accSeq[n] = seq;
    this.accEv[n] = ev;
    this.accId[n] = id;
    this.accN = n + 1;
    if (n === 0) {
      this.accStartMs = this.env.ctx.nowMs;
      this.flushEv = this.env.ctx.schedule(this.lifespanMs, this, K_FLUSH, this.gen);
    }
    if (this.accN >= this.accSize) this.flush();
  }

  private canReceive(primary: App): boolean {
    const m = this.conn;
    return (
      m >= 0 &&
      this.app.status === 'started' &&
      this.pair.members[m] === primary &&
      this.links[m]!.isOpen(1) &&
      // A running ICON's host is powered: only a partition can stop the event on its way.
      (this.env.net.partitionCount === 0 || !this.env.net.partitioned(primary.host.id, this.app.host.id))
    );
  }

  // ---- pipeline ----

  /** The accumulator goes to the persistent queue (or straight to a reachable IDB). */
  private flush(): void {
    if (this.flushEv >= 0) this.env.ctx.cancel(this.flushEv);
    this.flushEv = -1;
    let dropped = 0;
    for (let i = 0; i < this.accN; i++) {
      const seq = this.accSeq[i]!;
      if (this.pq.count >= this.pqMax) {
        dropped++; // persistent queue full: the record is lost
        continue;
      }
      this.apply(this.accEv[i]!, this.accId[i]!);
      if (this.idbUp && this.pq.count === 0) this.written.add(seq);
      else this.pq.push(seq);
    }
    if (dropped > 0) {
      this.lostOverflow += dropped;
      this.holes.push([this.accStartMs, this.env.ctx.nowMs]);
    }
    this.accN = 0;
  }

  /** The IDB writer catches up: everything queued is written (a reachable IDB keeps up). */
  private drain(): void {
    if (this.idbUp && this.app.status === 'started') this.pq.drainInto(this.written);
  }

  /** What a record that reaches the IDB does to its call and party records. */
  private apply(ev: SourceEvent, id: number): void {
    switch (ev) {
      case SourceEvent.CallCreated:
        this.calls.add(id);
        return;
      case SourceEvent.AttachedData:
        this.attachedDataStored++;
        this.openCall(id);
        return;
      case SourceEvent.Ringing:
      case SourceEvent.Established:
        this.openCall(id);
        return;
      case SourceEvent.PartyAdded:
        this.openCall(id);
        this.parties.add(id);
        return;
      case SourceEvent.PartyRemoved:
        this.parties.delete(id);
        return;
      case SourceEvent.Released:
        // A release of a call never seen begun: a partial record. The party record stays open
        // if its removal was lost (a stuck party).
        if (!this.calls.delete(id)) this.callsPartial++;
        return;
      case SourceEvent.AgentLogin:
      case SourceEvent.AgentState:
      case SourceEvent.AgentLogout:
        return;
      default:
        assert(false, `ICON ${this.app.id}: unknown source event ${String(ev)}`);
    }
  }

  private openCall(id: number): void {
    if (this.calls.has(id)) return;
    this.calls.add(id);
    this.callsPartial++;
  }

  // ---- connection to the source ----

  /** The server to connect to: the primary in service, else a running primary-mode member. */
  private pickServer(): App | undefined {
    const p = this.pair.primaryInService();
    if (p) return p;
    return this.pair.members.find((m) => m.role === 'primary' && m.up && m.status !== 'hung');
  }

  private tryConnect(start?: SessionStart): void {
    if (this.conn >= 0 || !this.app.up) return;
    const { ctx, net } = this.env;
    const target = this.app.status === 'started' ? this.pickServer() : undefined;
    const me = this.app.host.id;
    if (!target || !net.deliverable(me, target.host.id) || !net.deliverable(target.host.id, me)) {
      this.scheduleRetry();
      return;
    }
    const m = this.pair.members[0] === target ? 0 : 1;
    // The first connection polls at a random phase; later ones start their ADDP cycle now.
    const phase = start === 'first-connect' ? Math.floor(uniform(this.rng, 0, this.addpMs)) : 0;
    this.links[m].connect([phase, 0]);
    this.conn = m;
    const reason: SessionStart =
      start ??
      (target !== this.lastServer
        ? 'switchover'
        : target.incarnation !== this.lastServerIncarnation
          ? 'source-restart'
          : 'reconnect');
    this.lastServer = target;
    this.lastServerIncarnation = target.incarnation;
    ctx.trace(this.app.id, 'source-connected', `${target.id} ${reason}`);
    if (this.dss) {
      this.session = { server: target.id, fromMs: ctx.nowMs, toMs: undefined, reason, endReason: undefined };
      this.sessions.push(this.session);
    }
    this.refresh();
  }

  /** Genesys warm client: the next attempt comes reconnect-timeout later. */
  private scheduleRetry(): void {
    if (this.retryEv >= 0 || !this.app.up) return;
    this.retryEv = this.env.ctx.schedule(this.reconnectMs, this, K_RETRY, this.gen);
  }

  private endSession(reason: SessionEnd): void {
    if (!this.session) return;
    this.session.toMs = this.env.ctx.nowMs;
    this.session.endReason = reason;
    this.session = undefined;
  }

  private onServerChanged(m: number, c: AppChange): void {
    const link = this.links[m]!;
    switch (c.type) {
      case 'app.crashed':
        link.closeFrom(1); // the process exits: the ICON hears the close
        break;
      case 'app.vanished':
        link.dropSilently(1); // host gone: only ADDP tells the ICON
        break;
      case 'app.demoted':
        // A server leaving primary mode closes its client sessions (model assumption): its
        // clients follow the new primary after reconnect-timeout, like any warm client.
        link.closeFrom(1);
        break;
      case 'app.started':
      case 'app.promoted':
      case 'app.hung':
      case 'app.unhung':
      case 'app.serviceChanged':
        break; // the connection is unchanged; the pair's state decides who emits
      default:
        assert(false, `ICON ${this.app.id}: unexpected server change`);
    }
    this.refresh();
  }

  private onIconChanged(c: AppChange): void {
    switch (c.type) {
      case 'app.crashed':
        this.stop(false);
        break;
      case 'app.vanished':
        this.stop(true);
        break;
      case 'app.started':
        // At restart ICON closes every call still marked active (they end at an unknown time).
        this.callsClosedAtRestart += this.calls.size;
        this.calls.clear();
        this.parties.clear();
        this.drain();
        this.tryConnect('icon-restart');
        break;
      case 'app.unhung':
        this.drain();
        if (this.accN > 0 && this.flushEv < 0) this.flush();
        break;
      case 'app.hung':
      case 'app.promoted':
      case 'app.demoted':
      case 'app.serviceChanged':
        break;
      default:
        assert(false, `ICON ${this.app.id}: unexpected change`);
    }
    this.refresh();
  }

  /** The process is gone: the accumulator is lost; the persistent queue stays on disk. */
  private stop(silent: boolean): void {
    const { ctx } = this.env;
    this.gen++;
    if (this.accN > 0) {
      this.lostInMemory += this.accN;
      this.holes.push([this.accStartMs, ctx.nowMs]);
      this.accN = 0;
    }
    if (this.flushEv >= 0) ctx.cancel(this.flushEv);
    if (this.retryEv >= 0) ctx.cancel(this.retryEv);
    this.flushEv = -1;
    this.retryEv = -1;
    if (this.conn >= 0) {
      const link = this.links[this.conn]!;
      if (silent) link.dropSilently(0);
      else link.closeFrom(0);
      this.conn = -1;
      this.endSession(silent ? 'icon-host-lost' : 'icon-crash');
    }
  }

  onEvent(kind: number, gen: number): void {
    if (gen !== this.gen) return;
    switch (kind) {
      case K_FLUSH:
        this.flushEv = -1;
        if (this.app.status === 'hung') {
          // A hung process flushes nothing; it resumes if the hang ends.
          return;
        }
        this.flush();
        return;
      case K_RETRY:
        this.retryEv = -1;
        this.tryConnect();
        return;
      default:
        assert(false, `ICON: unknown event kind ${kind}`);
    }
  }

  // ---- IDB outage ----

  idbDown(cause: string): void {
    if (!this.idbUp) return;
    this.idbUp = false;
    this.env.ctx.trace(`${this.app.id}:${this.idb}`, 'down', cause);
  }

  idbRestore(cause: string): void {
    if (this.idbUp) return;
    this.idbUp = true;
    this.env.ctx.trace(`${this.app.id}:${this.idb}`, 'up', cause);
    this.drain();
  }

  // ---- holes (gap_s) ----

  /** Re-evaluates whether the IDB's data has a hole now (called at every state change). */
  private refresh(): void {
    const now = this.env.ctx.nowMs;
    const primary = this.pair.primaryInService();
    // With no primary in service the source emits nothing: no ICON can be blamed for a hole.
    const ok = primary === undefined || this.canReceive(primary);
    if (ok && this.holeStartMs >= 0) this.closeHole(now);
    else if (!ok && this.holeStartMs < 0) this.holeStartMs = now;
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
    if (this.holeStartMs >= 0) this.closeHole(endMs);
    if (this.accN > 0 && this.app.status === 'started') this.flush();
  }

  /** Everything that reached the IDB or waits safely in its persistent queue. */
  kept(): SeqRanges {
    const out = new SeqRanges();
    out.append(this.written);
    out.append(this.pq.toRanges());
    return out;
  }
}
