// Builds one replication of the contact center from a validated scenario, runs it, and returns
// what the reports need. Wiring only: each component's behaviour lives in its own folder, what a
// run measures in results.ts.

import {
  Simulator,
  assertNever,
  byId,
  compareStrings,
  mapObjects,
  objectArray,
  uniform,
  type TraceSink,
} from '../sim/index.js';
import { ConfigServerPair } from './config/confserv.js';
import { CtiLinks } from './cti/cti.js';
import type { AppId, HostId, PairId, ScenarioSpec } from '../spec/types.js';
import { Blame, appKey } from './faults/blame.js';
import { FaultInjector } from './faults/injector.js';
import { App } from './ha-pair/app.js';
import { HaPair } from './ha-pair/pair.js';
import { missingLicence } from './ha-pair/licences.js';
import { Host } from './host/host.js';
import { Lca } from './lca/lca.js';
import { Network } from './network/network.js';
import { scenarioOptions } from './options.js';
import { Recorder } from './recorder.js';
import { Scs } from './scs/scs.js';
import { onDutyAt } from './desktop/shifts.js';
import { Telephony, type AgentDef, type PoolDef } from './telephony/telephony.js';
import { Desktops, type DesktopSite } from './desktop/desktop.js';
import { Availability } from './availability.js';
import { IconModel } from './icon/icons.js';
import type { Env } from './env.js';
import { hostsLostForGood, judgeLiveness } from './liveness.js';
import {
  agentRows,
  attributeImpacts,
  endState,
  pairResult,
  runCounters,
  SplitBrainClock,
  type ReplicationResult,
} from './results.js';

export type { AgentRow, PairResult, ReplicationResult } from './results.js';

/** Bound on events per replication (a runaway model is a reported failure). */
export const EVENTS_PER_REPLICATION_MAX = 2_000_000_000;

export class Center {
  readonly sim: Simulator;
  readonly env: Env;
  readonly hosts = new Map<HostId, Host>();
  readonly apps = new Map<AppId, App>();
  readonly pairs: HaPair[] = objectArray();
  readonly scs: Scs[] = objectArray();
  readonly cti = new Map<AppId, CtiLinks>();
  /** Config Server pairs by member app id. */
  readonly confservs = new Map<AppId, ConfigServerPair>();
  readonly telephony: Telephony;
  readonly desktops: Desktops;
  readonly availability: Availability;
  private readonly injector: FaultInjector;
  readonly icons: IconModel;
  private readonly splitBrain = new SplitBrainClock();

  constructor(
    readonly spec: ScenarioSpec,
    readonly replication: number,
    sink?: TraceSink,
  ) {
    const topo = spec.topology;
    this.sim = new Simulator(spec.seed, replication, sink);
    const opts = scenarioOptions(spec);
    const net = new Network(
      this.sim,
      this.hosts,
      topo.network.lanLatencyMs,
      topo.network.wanLatencyMs,
      opts.ms('tcp-retransmit-timeout'),
    );
    this.env = {
      ctx: this.sim,
      net,
      opts,
      recorder: new Recorder(),
      blame: new Blame(),
      licenses: topo.licenses,
    };
    for (const h of topo.hosts) {
      const host = new Host(this.env, h.id, h.site);
      host.lca = new Lca(this.env, host);
      this.hosts.set(h.id, host);
    }
    const pairOfApp = new Map<string, (typeof topo.pairs)[number]>();
    for (const p of topo.pairs) {
      pairOfApp.set(p.primary, p);
      pairOfApp.set(p.backup, p);
    }
    const heartbeatPhaseMs = Math.max(opts.ms('heartbeat-period'), 1);
    for (const a of topo.apps) {
      const host = this.hosts.get(a.host)!;
      const p = pairOfApp.get(a.id);
      const role = p && p.backup === a.id ? 'backup' : 'primary';
      const app = new App(this.env, a.id, a.type, host, role, p !== undefined);
      // Processes were started at different times before t=0 (phases of their heartbeats).
      app.startedAtMs = -Math.floor(
        uniform(this.sim.stream(`app/${a.id}/start`), 0, heartbeatPhaseMs),
      );
      const unlicensed = missingLicence(a.type, p?.redundancy, topo.licenses);
      if (unlicensed !== undefined) {
        app.markUnlicensed();
        this.sim.trace(app.id, 'stopped', unlicensed);
      }
      host.apps.push(app);
      this.apps.set(a.id, app);
      app.listen({
        onAppChanged: (x, c) => {
          switch (c.type) {
            case 'app.started':
            case 'app.unhung': // a hang with a duration ends by itself: the process runs on
              this.env.recorder.cleared(appKey(x.id), this.sim.nowMs);
              return;
            case 'app.crashed':
            case 'app.vanished':
            case 'app.promoted':
            case 'app.demoted':
            case 'app.hung':
            case 'app.serviceChanged':
            case 'app.guardChanged':
              return; // only a start (or a hang's end) clears the app's faults
            default:
              assertNever(c, 'app change');
          }
        },
      });
    }
    const pairById = new Map<PairId, HaPair>();
    for (const p of topo.pairs) {
      const pair = new HaPair(
        this.env,
        p.id,
        p.redundancy,
        [this.apps.get(p.primary)!, this.apps.get(p.backup)!],
        p.ctiLinks,
      );
      pair.onStateChange(() => this.splitBrain.update(this.sim.nowMs, this.pairs));
      this.pairs.push(pair);
      pairById.set(p.id, pair);
    }
    const pairOf = (id: AppId) => {
      const p = pairOfApp.get(id);
      return p ? pairById.get(p.id) : undefined;
    };
    const world = { hosts: this.hosts, apps: this.apps, pairs: this.pairs, pairOf };
    // SCS instances: the scs pair (primary first) or any standalone scs apps.
    const scsApps = mapObjects(
      topo.apps.filter((a) => a.type === 'scs'),
      (a) => this.apps.get(a.id)!,
    );
    scsApps.sort((x, y) =>
      x.role === y.role ? compareStrings(x.id, y.id) : x.role === 'primary' ? -1 : 1,
    );
    for (const app of scsApps) this.scs.push(new Scs(this.env, app, world));
    for (const s of this.scs) s.connectAll();
    const scsPair = this.pairs.find((p) => p.type === 'scs');
    if (scsPair) {
      const [a, b] = mapObjects(scsPair.members, (m) => this.scs.find((s) => s.app === m)!);
      a!.pairWith(b!);
    }
    for (const pair of this.pairs) {
      if (pair.type === 'confserv') {
        const cs = new ConfigServerPair(this.env, pair);
        for (const m of pair.members) this.confservs.set(m.id, cs);
      }
      if (pair.type === 'tserver')
        for (const m of pair.members) this.cti.set(m.id, new CtiLinks(this.env, m, pair.ctiLinks));
    }
    for (const app of this.apps.values()) {
      if (app.type === 'tserver' && !this.cti.has(app.id))
        this.cti.set(app.id, new CtiLinks(this.env, app, 1));
    }
    // timeline.csv opens with every component's initial state (cause "initial"), so a reader
    // never has to guess the state before a component's first change.
    for (const h of [...this.hosts.values()].sort(byId)) {
      this.sim.trace(h.id, 'up', 'initial');
      this.sim.trace(`lca:${h.id}`, 'up', 'initial');
    }
    for (const a of [...this.apps.values()].sort(byId))
      if (!a.unlicensed) this.sim.trace(a.id, a.stateLabel(), 'initial');
    for (const pair of this.pairs) pair.recompute();
    for (const pair of [...this.pairs].sort(byId))
      this.sim.trace(pair.id, pair.currentState, 'initial');
    this.telephony = this.buildTelephony(pairById);
    this.desktops = this.buildDesktops();
    this.icons = new IconModel(this.env, topo.apps, this.apps, pairById, this.telephony);
    this.injector = new FaultInjector(this.env, {
      icons: this.icons.icons,
      hosts: this.hosts,
      apps: this.apps,
      pairs: pairById,
      cti: this.cti,
      scs: this.scs,
      telephony: this.telephony,
      desktops: this.desktops,
      confservs: this.confservs,
      groups: mapObjects(topo.agentGroups, (g) => g.group),
    });
    this.injector.scheduleAll(spec.faults);
    // After the faults: those at 0 s are in place when the desktops start up.
    this.desktops.start();
    this.availability = new Availability(this.env, this.pairs, this.telephony);
    this.injector.scheduleFailures(spec.failures);
  }

  private buildTelephony(pairById: Map<PairId, HaPair>): Telephony {
    const topo = this.spec.topology;
    const siteOfHost = new Map(mapObjects(topo.hosts, (h) => [h.id, h.site]));
    const pools: PoolDef[] = [];
    const poolOfPair = new Map<string, number>();
    for (const p of topo.pairs) {
      if (p.type !== 'sipserver' && p.type !== 'tserver') continue;
      const primary = topo.apps.find((a) => a.id === p.primary)!;
      poolOfPair.set(p.id, pools.length);
      pools.push({
        pair: pairById.get(p.id)!,
        kind: p.type === 'sipserver' ? 'sip' : 'tserver',
        site: siteOfHost.get(primary.host)!,
      });
    }
    const agents: AgentDef[] = [];
    // Every desktop logs in through its start-up procedure (src/models/desktop), those whose
    // shift is on at 0 s then, the others at their shift's start.
    const duty = onDutyAt(topo.agentGroups, 0);
    topo.agentGroups.forEach((g, gi) => {
      for (let k = 0; k < g.count; k++)
        agents.push({
          group: gi,
          pool: -1,
          preferredSite: g.preferredSite,
          scheduled: duty[agents.length] === 1,
        });
    });
    return new Telephony(
      this.env,
      pools,
      agents,
      this.spec.traffic,
      mapObjects(topo.sites, (s) => s.id),
      this.spec.routing,
      mapObjects(topo.agentGroups, (g) => g.group),
      this.spec.warmupMs ?? 0,
      // Each site's routing (URS) pair: the first whose primary runs there.
      mapObjects(topo.sites, (s) => {
        const p = topo.pairs.find(
          (q) =>
            q.type === 'urs' &&
            siteOfHost.get(topo.apps.find((a) => a.id === q.primary)!.host) === s.id,
        );
        return p === undefined ? undefined : pairById.get(p.id);
      }),
    );
  }

  private buildDesktops(): Desktops {
    const topo = this.spec.topology;
    // A site's CS Proxies and Stat Servers: its cluster of each type (seed 003), else every CS
    // Proxy at the site and the members of every Stat Server pair whose primary runs there.
    const sites: DesktopSite[] = mapObjects(topo.sites, (s) => {
      const hosts = new Set(s.hosts);
      const cluster = (type: 'csproxy' | 'statserver') => {
        const c = topo.clusters.find((x) => x.type === type && x.site === s.id);
        return c === undefined ? undefined : mapObjects(c.members, (id) => this.apps.get(id)!);
      };
      const statPairs = this.pairs
        .filter((p) => p.type === 'statserver' && hosts.has(p.members[0].host.id))
        .sort(byId);
      return {
        id: s.id,
        pool: this.telephony.sipPoolOfSite(s.id),
        proxies:
          cluster('csproxy') ??
          [...this.apps.values()]
            .filter((a) => a.type === 'csproxy' && hosts.has(a.host.id))
            .sort(byId),
        proxiesClustered: cluster('csproxy') !== undefined,
        statServers: cluster('statserver') ?? statPairs.flatMap((p) => [...p.members]),
      };
    });
    return new Desktops(this.env, this.telephony, sites, topo.agentGroups);
  }

  run(): ReplicationResult {
    const end = this.spec.durationMs;
    this.sim.run({ untilMs: end, eventsMax: EVENTS_PER_REPLICATION_MAX });
    for (const p of this.pairs) p.finish(end);
    const tel = this.telephony;
    tel.finish(end);
    tel.checkConservation();
    const icon = this.icons.finish(end);
    attributeImpacts(tel.impacts, this.env.recorder.switchovers);
    const agents = agentRows(this.spec.topology, tel, this.desktops);
    const liveness = judgeLiveness(
      endState(this.pairs, this.scs, this.desktops, agents),
      hostsLostForGood(this.spec.faults, this.spec.topology),
    );
    return {
      replication: this.replication,
      seed: this.spec.seed,
      simMs: end,
      events: this.sim.events,
      switchovers: this.env.recorder.switchovers,
      faults: this.env.recorder.faults,
      pairs: mapObjects(this.pairs, pairResult),
      splitBrainMs: this.splitBrain.finish(end),
      counters: { ...runCounters(tel, liveness, this.desktops), ...icon.counters },
      icon,
      intervals: tel.intervals,
      agents,
      services: this.availability.finish(end),
      outages: this.availability.outages,
      liveness,
    };
  }
}

export function runReplication(
  spec: ScenarioSpec,
  replication: number,
  sink?: TraceSink,
): ReplicationResult {
  const center = new Center(spec, replication, sink);
  const result = center.run();
  center.sim.dispose(); // the center is dropped: its event queue's wheel serves the next one
  return result;
}
