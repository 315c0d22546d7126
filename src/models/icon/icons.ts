// The ICONs of a replication and the downstream view of their IDBs (DOMAIN §8, seed 001).
// Every source event gets a sequence number per source; each ICON keeps the numbers its IDB
// stored as ranges, so "stored in no IDB of the pair" is set arithmetic at the end. For each
// reporting window, a downstream reporting system (Info Mart) reads the IDB without a gap there.
// ICONs with role cfg (or all, the vendor default) also record the Configuration Server pair as a
// data source: its sessions go to dss.csv (cfg-source.ts).
// Leaves out: OCS data sources, and multimedia (Interaction Server).

import { assert, compareStrings, mapObjects, type Handler } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { Telephony, TelephonyObserver } from '../telephony/telephony.js';
import type { AppSpec } from '../../spec/types.js';
import { ConfigSource } from './cfg-source.js';
import { Icon } from './icon.js';
import type { DssSession } from './session.js';
import { SeqRanges, mergeSpans } from './intervals.js';
import { SourceLog, stuckCount } from './source.js';
import { CALL_OPEN, PARTY_OPEN } from './stream.js';

/** One data-loss.csv row: an ICON and its IDB in one replication. */
export interface DataLossRow {
  source: string;
  icon: string;
  idb: string;
  /** Events the source emitted while this ICON should have recorded them (the whole run). */
  eventsExpected: number;
  /** Events written to the IDB by the end of the run. */
  eventsStored: number;
  /** Events neither written nor waiting in the persistent queue: lost for this IDB. */
  eventsMissing: number;
  /** Events of the source stored in no IDB of its ICONs (same on every row of a source). */
  lostAll: number;
  stuckCalls: number;
  stuckParties: number;
  gapMs: number;
  /** Calls whose AttachedData never reached this IDB. */
  missingAttachedData: number;
  /** Records still in the persistent queue at the end (the IDB was down): not lost. */
  pqBacklog: number;
  lostInMemory: number;
  lostPqOverflow: number;
  /** Records of the persistent queue lost at a restart that failed to restore it. */
  lostPqRestore: number;
  callsClosedAtRestart: number;
  callsPartial: number;
  sessions: number;
}

/** One idb-windows.csv row: a source's reporting window and which IDB downstream reads. */
export interface IdbWindowRow {
  source: string;
  startMs: number;
  endMs: number;
  events: number;
  /** Events of the window stored in no IDB. */
  lostAll: number;
  /** Each IDB of the source (sorted by ICON id): complete = no missing event, no hole. */
  idbs: { idb: string; complete: boolean; missing: number }[];
  /** The IDB downstream reads for this window ('' when the source has no ICON). */
  chosen: string;
  /** Events of the window missing in the chosen IDB (what the reports lack). */
  chosenMissing: number;
}

export interface DssRow extends DssSession {
  source: string;
  icon: string;
  idb: string;
}

export interface IconResult {
  dataLoss: DataLossRow[];
  windows: IdbWindowRow[];
  sessions: DssRow[];
  /** Summary counters: icon_events, icon_lost_all, icon_missing_max, stuck_calls. */
  counters: Record<string, number>;
}

const K_WINDOW = 0;

export class IconModel implements Handler, TelephonyObserver {
  /** Indexed by telephony pool; undefined for pools no ICON records. */
  private readonly byPool: (SourceLog | undefined)[] = [];
  /** Sorted by pair id. */
  private readonly sources: SourceLog[] = [];
  /** By app id: the targets of idb-down / idb-up. */
  readonly icons = new Map<string, Icon>();
  /** Connections to the Configuration Server of the ICONs with role cfg, by ICON id. */
  private readonly cfgSources: { source: ConfigSource; idb: string }[] = [];
  private readonly windowMs: number;

  constructor(
    private readonly env: Env,
    iconApps: readonly AppSpec[],
    apps: ReadonlyMap<string, App>,
    pairs: ReadonlyMap<string, HaPair>,
    private readonly telephony: Telephony,
  ) {
    this.windowMs = env.opts.ms('report-interval');
    const addpMs = env.opts.ms('client-addp-timeout');
    const specs = [...iconApps]
      .filter((a) => a.type === 'icon')
      .sort((x, y) => compareStrings(x.id, y.id));
    for (const a of specs) {
      assert(
        a.source !== undefined && a.idb !== undefined,
        () => `icon ${a.id} has no source or idb`,
      );
      const pair = pairs.get(a.source);
      assert(pair, () => `icon ${a.id}: unknown source pair ${a.source}`);
      const pool = telephony.poolOf(a.source);
      let src = this.byPool[pool];
      if (!src) {
        src = new SourceLog(env.ctx, pool, pair, addpMs);
        this.byPool[pool] = src;
        this.sources.push(src);
      }
      const icon = new Icon(env, apps.get(a.id)!, a.idb, pair, src.stream, src.flushes);
      src.icons.push(icon);
      this.icons.set(a.id, icon);
      const roles = a.roles ?? ['all'];
      const cfgPair = [...pairs.values()]
        .filter((p) => p.type === 'confserv')
        .sort((x, y) => compareStrings(x.id, y.id))[0];
      if (cfgPair && (roles.includes('all') || roles.includes('cfg'))) {
        this.cfgSources.push({
          source: new ConfigSource(env, apps.get(a.id)!, cfgPair),
          idb: a.idb,
        });
      }
    }
    this.sources.sort((x, y) => compareStrings(x.pair.id, y.pair.id));
    if (this.sources.length > 0) {
      for (const src of this.sources) telephony.recordSink(src.pool, src);
      telephony.observe(this);
      env.ctx.schedule(this.windowMs, this, K_WINDOW, 0);
    }
  }

  onCallDegraded(pool: number, serial: number): void {
    this.byPool[pool]?.degraded(serial);
  }

  onCallMoved(fromPool: number, _toPool: number, serial: number): void {
    this.byPool[fromPool]?.moved(serial);
  }

  onEvent(kind: number): void {
    assert(kind === K_WINDOW, () => `IconModel: unknown event kind ${kind}`);
    const now = this.env.ctx.nowMs;
    for (const s of this.sources) {
      s.windowSeq.push(s.seq);
      s.windowStartMs.push(now);
    }
    this.env.ctx.schedule(this.windowMs, this, K_WINDOW, 0);
  }

  /** Closes the run: the last window, open holes; computes every row and counter. */
  finish(endMs: number): IconResult {
    const dataLoss: DataLossRow[] = [];
    const windows: IdbWindowRow[] = [];
    const sessions: DssRow[] = [];
    let events = 0;
    let lostAllSum = 0;
    let missingMax = 0;
    let stuckSum = 0;
    const dssAll = this.env.opts.bool('use-dss-monitor');
    for (const src of this.sources) {
      src.stream.sync();
      const n = src.seq;
      events += n;
      const kept = mapObjects(src.icons, (icon) => {
        icon.finish(endMs);
        return icon.kept();
      });
      const union = SeqRanges.union(kept);
      const lostAll = n - union.count;
      lostAllSum += lostAll;
      // Calls the source lost track of that may still run: as many as the pool still carries
      // beyond the calls it tracks (exact when none does, the usual case long after a fault).
      const liveOrphans = Math.min(
        src.orphanCount,
        Math.max(0, this.telephony.callsIn(src.pool) - src.trackedLive),
      );
      let stuckMax = 0;
      src.icons.forEach((icon, i) => {
        const st = icon.store;
        const backlog = st.pq.count;
        const stored = st.written.count;
        const missing = n - kept[i]!.count;
        missingMax = Math.max(missingMax, missing);
        const stuckCalls = stuckCount((fn) => st.forEachOpen(CALL_OPEN, fn), src, liveOrphans);
        const stuckParties = stuckCount((fn) => st.forEachOpen(PARTY_OPEN, fn), src, liveOrphans);
        stuckMax = Math.max(stuckMax, stuckCalls);
        dataLoss.push({
          source: src.pair.id,
          icon: icon.id,
          idb: icon.idb,
          eventsExpected: n,
          eventsStored: stored,
          eventsMissing: missing,
          lostAll,
          stuckCalls,
          stuckParties,
          gapMs: mergeSpans(icon.holes).reduce((t, [a, b]) => t + (b - a), 0),
          missingAttachedData: src.stream.adTotal - st.attachedDataStored,
          pqBacklog: backlog,
          lostInMemory: st.lostInMemory,
          lostPqOverflow: st.lostOverflow,
          lostPqRestore: st.lostPqRestore,
          callsClosedAtRestart: st.callsClosedAtRestart,
          callsPartial: st.callsPartial,
          sessions: icon.sessions.length,
        });
        for (const s of icon.sessions)
          sessions.push({ source: src.pair.id, icon: icon.id, idb: icon.idb, ...s });
      });
      stuckSum += stuckMax;
      windows.push(...this.windowRows(src, kept, union, endMs, dssAll));
    }
    // The Configuration Server source (role cfg): its sessions after the telephony ones, by ICON.
    if (dssAll) {
      for (const { source, idb } of this.cfgSources) {
        for (const s of source.sessions)
          sessions.push({ source: source.pair.id, icon: source.icon.id, idb, ...s });
      }
    }
    return {
      dataLoss,
      windows,
      sessions,
      counters: {
        icon_events: events,
        icon_lost_all: lostAllSum,
        icon_missing_max: missingMax,
        // A call stuck in both IDBs of a pair is one stuck call in the reports: per source the
        // worst IDB counts, and sources (different calls) add up.
        stuck_calls: stuckSum,
      },
    };
  }

  private windowRows(
    src: SourceLog,
    kept: readonly SeqRanges[],
    union: SeqRanges,
    endMs: number,
    dss: boolean,
  ): IdbWindowRow[] {
    const bounds = [...src.windowSeq];
    const starts = [...src.windowStartMs];
    if (starts[starts.length - 1]! < endMs) {
      bounds.push(src.seq);
      starts.push(endMs);
    } else bounds[bounds.length - 1] = src.seq;
    const holes = mapObjects(src.icons, (icon) => mergeSpans(icon.holes));
    const cursor = new Int32Array(holes.length);
    const rows: IdbWindowRow[] = [];
    // Nearly every window is complete in every IDB: those rows share one array (read-only), so
    // that a year's rows cost a few fields each here and in a copy sent between threads (which
    // keeps shared objects shared).
    const allComplete: IdbWindowRow['idbs'] = mapObjects(src.icons, (icon) => ({
      idb: icon.idb,
      complete: true,
      missing: 0,
    }));
    const missingOf = new Float64Array(src.icons.length);
    const holedOf = new Uint8Array(src.icons.length);
    for (let w = 0; w + 1 < bounds.length; w++) {
      const lo = bounds[w]!;
      const hi = bounds[w + 1]!;
      const t0 = starts[w]!;
      const t1 = starts[w + 1]!;
      let whole = true;
      for (let i = 0; i < src.icons.length; i++) {
        const missing = hi - lo - kept[i]!.countIn(lo, hi);
        const h = holes[i]!;
        while (cursor[i]! < h.length && h[cursor[i]!]![1] <= t0) cursor[i]!++;
        const span = h[cursor[i]!];
        const holed = span !== undefined && span[0] < t1;
        missingOf[i] = missing;
        holedOf[i] = holed ? 1 : 0;
        if (missing !== 0 || holed) whole = false;
      }
      const idbs = whole
        ? allComplete
        : mapObjects(src.icons, (icon, i) => ({
            idb: icon.idb,
            complete: missingOf[i] === 0 && !holedOf[i],
            missing: missingOf[i]!,
          }));
      // Downstream reads the first complete IDB; with none, the one missing least. Without
      // data-source session records it cannot tell and reads the first IDB.
      let chosen = 0;
      if (dss) {
        const complete = idbs.findIndex((x) => x.complete);
        if (complete >= 0) chosen = complete;
        else {
          for (let i = 1; i < idbs.length; i++)
            if (idbs[i]!.missing < idbs[chosen]!.missing) chosen = i;
        }
      }
      rows.push({
        source: src.pair.id,
        startMs: t0,
        endMs: t1,
        events: hi - lo,
        lostAll: hi - lo - union.countIn(lo, hi),
        idbs,
        chosen: idbs[chosen]?.idb ?? '',
        chosenMissing: idbs[chosen]?.missing ?? 0,
      });
    }
    return rows;
  }
}
