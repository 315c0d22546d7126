// Applies scripted faults at their times, undoes those with a duration, marks what each hit
// (for attribution) and records faults.csv rows.

import { assert, assertNever, byId, compareStrings, drawMs, mapObjects } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { App } from '../ha-pair/app.js';
import type { Host } from '../host/host.js';
import type { AppId, FailureSpec, FaultSpec, HostId, PairId, SiteId } from '../../spec/types.js';
import type { CtiLinks } from '../cti/cti.js';
import type { HaPair } from '../ha-pair/pair.js';
import type { Scs } from '../scs/scs.js';
import type { Telephony } from '../telephony/telephony.js';
import type { Desktops } from '../desktop/desktop.js';
import type { Icon } from '../icon/icon.js';
import type { ConfigServerPair } from '../config/confserv.js';
import {
  appKey,
  gatewayKey,
  hostKey,
  lcaKey,
  pairKey,
  pathKey,
  wanKey,
  type FaultRef,
} from './blame.js';

export interface FaultTargets {
  hosts: ReadonlyMap<HostId, Host>;
  apps: ReadonlyMap<AppId, App>;
  pairs: ReadonlyMap<PairId, HaPair>;
  cti: ReadonlyMap<AppId, CtiLinks>;
  scs: readonly Scs[];
  telephony: Telephony;
  /** ICONs by app id (idb-down / idb-up act on the IDB each writes, or on an IDB by its id). */
  icons: ReadonlyMap<string, Icon>;
  desktops: Desktops;
  /** Config Server pairs by member app id (confdb-down / confdb-up act on its database). */
  confservs: ReadonlyMap<AppId, ConfigServerPair>;
  /** Agent group names in topology order. */
  groups: readonly string[];
}

export class FaultInjector {
  /**
   * Site crashes in force per site: no host there boots while one is (the site has no power).
   * A crash's own end takes back only that crash; `site-restore` ends them all.
   */
  private readonly sitesDown = new Map<SiteId, number>();
  /** Host crashes in force per host, likewise: the restore of its site leaves it down. */
  private readonly hostsDown = new Map<HostId, number>();

  constructor(
    private readonly env: Env,
    private readonly targets: FaultTargets,
  ) {}

  scheduleAll(faults: readonly FaultSpec[]): void {
    for (const f of faults) {
      this.env.ctx.call(f.atMs - this.env.ctx.nowMs, () => this.apply(f));
    }
  }

  /**
   * Random failures (`failures:`): each target fails independently, times between failures
   * drawn from `mtbf`, repairs from `mttr`; the next failure is drawn from the repair. Each
   * target draws from its own stream, so two designs sharing a component share its history.
   */
  scheduleFailures(failures: readonly FailureSpec[]): void {
    for (const spec of failures) {
      spec.targets.forEach((target, t) => {
        const rng = this.env.ctx.stream(`failures/${spec.index}/${target}`);
        let n = 0;
        const next = () => {
          const up = drawMs(rng, spec.mtbf);
          this.env.ctx.call(Math.max(1, up), () => {
            const repair = Math.max(1, drawMs(rng, spec.mttr));
            const f = randomFault(
              spec,
              t,
              `r${spec.index}.${target}.${n++}`,
              this.env.ctx.nowMs,
              repair,
            );
            this.apply(f);
            this.env.ctx.call(repair, next);
          });
        };
        next();
      });
    }
  }

  private host(id: HostId): Host {
    const h = this.targets.hosts.get(id);
    assert(h, () => `fault target: unknown host ${id}`);
    return h;
  }

  private app(id: AppId): App {
    const a = this.targets.apps.get(id);
    assert(a, () => `fault target: unknown app ${id}`);
    return a;
  }

  apply(f: FaultSpec): void {
    const { ctx, recorder, blame } = this.env;
    const ref: FaultRef = { faultId: f.id, atMs: ctx.nowMs };
    const row = { faultId: f.id, kind: f.kind, target: f.target, atMs: ctx.nowMs };
    ctx.trace(`fault:${f.id}`, f.kind, f.target);
    switch (f.kind) {
      case 'host-crash': {
        const host = this.host(f.target);
        blame.mark(hostKey(host.id), ref);
        recorder.faultApplied(row, hostKey(host.id));
        bump(this.hostsDown, host.id, 1);
        host.crash(f.id);
        if (f.durationMs !== undefined)
          ctx.call(f.durationMs, () => this.restoreHost(host, `${f.id}-end`, true));
        return;
      }
      case 'host-restore': {
        const host = this.host(f.target);
        recorder.faultApplied(row, hostKey(host.id));
        this.restoreHost(host, f.id, false);
        return;
      }
      case 'process-crash': {
        const app = this.app(f.target);
        blame.mark(appKey(app.id), ref);
        recorder.faultApplied(row, appKey(app.id));
        if (f.durationMs !== undefined) {
          // The process cannot start again until the duration ends; then an operator starts it.
          app.blockedUntilMs = ctx.nowMs + f.durationMs;
          ctx.call(f.durationMs, () => app.start());
        }
        app.crash(f.id);
        return;
      }
      case 'site-crash': {
        recorder.faultApplied(row, `site:${f.target}`);
        bump(this.sitesDown, f.target, 1);
        for (const host of this.hostsOfSite(f.target)) {
          blame.mark(hostKey(host.id), ref);
          host.crash(f.id);
        }
        if (f.durationMs !== undefined)
          ctx.call(f.durationMs, () => this.restoreSite(f.target, `${f.id}-end`, true));
        return;
      }
      case 'site-restore':
        recorder.faultApplied(row, `site:${f.target}`);
        this.restoreSite(f.target, f.id, false);
        return;
      case 'gateway-down': {
        const key = gatewayKey(f.target);
        recorder.faultApplied(row, key);
        blame.mark(key, ref);
        this.targets.telephony.setGateways(f.target, false);
        if (f.durationMs !== undefined) ctx.call(f.durationMs, () => this.gatewaysUp(f.target));
        return;
      }
      case 'gateway-up':
        recorder.faultApplied(row);
        this.gatewaysUp(f.target);
        return;
      case 'process-hang': {
        const app = this.app(f.target);
        blame.mark(appKey(app.id), ref);
        recorder.faultApplied(row, appKey(app.id));
        app.hang();
        if (f.durationMs !== undefined) ctx.call(f.durationMs, () => app.unhang());
        return;
      }
      case 'process-start': {
        const app = this.app(f.target);
        if (app.status === 'started' || app.status === 'service-unavailable') {
          // Already running: the operator's start does nothing (cleared as it is applied, not
          // by the app's next start, whatever fault that one ends).
          recorder.faultApplied({ ...row, clearedAtMs: ctx.nowMs });
          return;
        }
        recorder.faultApplied(row, appKey(app.id));
        app.blockedUntilMs = -1;
        if (app.status === 'hung') app.crash(`${f.id}-operator-restart`);
        app.start();
        return;
      }
      case 'lca-crash': {
        const host = this.host(f.target);
        blame.mark(lcaKey(host.id), ref);
        recorder.faultApplied(row, lcaKey(host.id));
        host.lca.crash(f.id);
        if (f.durationMs !== undefined) ctx.call(f.durationMs, () => host.lca.start());
        return;
      }
      case 'lca-restore': {
        const host = this.host(f.target);
        recorder.faultApplied(row, lcaKey(host.id));
        host.lca.start();
        return;
      }
      case 'cti-link-down':
      case 'cti-link-up': {
        const links = this.cti(f.target);
        const which = f.link === 'all' ? range(links.count) : [f.link - 1];
        const key = `cti:${f.target}:${f.link}`;
        recorder.faultApplied(row, f.kind === 'cti-link-down' ? key : undefined);
        if (f.kind === 'cti-link-down') {
          blame.mark(appKey(f.target), ref);
          for (const i of which) links.down(i, f.silent);
          if (f.durationMs !== undefined) {
            ctx.call(f.durationMs, () => {
              for (const i of which) links.up(i);
              recorder.cleared(key, ctx.nowMs);
            });
          }
        } else {
          for (const i of which) links.up(i);
          recorder.cleared(key, ctx.nowMs);
        }
        return;
      }
      case 'switch-link-down':
      case 'switch-link-up': {
        const pair = this.pair(f.target);
        const key = `switch:${f.target}`;
        const all = mapObjects(pair.members, (m) => this.cti(m.id));
        if (f.kind === 'switch-link-down') {
          recorder.faultApplied(row, key);
          blame.mark(pairKey(pair.id), ref);
          for (const m of pair.members) blame.mark(appKey(m.id), ref);
          for (const l of all) for (const i of range(l.count)) l.down(i, f.silent);
          if (f.durationMs !== undefined) {
            ctx.call(f.durationMs, () => {
              for (const l of all) for (const i of range(l.count)) l.up(i);
              recorder.cleared(key, ctx.nowMs);
            });
          }
        } else {
          recorder.faultApplied(row);
          for (const l of all) for (const i of range(l.count)) l.up(i);
          recorder.cleared(key, ctx.nowMs);
        }
        return;
      }
      case 'network-partition': {
        const key = `partition:${f.target}`;
        recorder.faultApplied(row, key);
        for (const h of [...f.sideA, ...f.sideB]) blame.mark(pathKey(h), ref);
        ctx.trace('network', 'partitioned', f.target);
        this.env.net.partition(f.target, f.sideA, f.sideB);
        if (f.durationMs !== undefined) ctx.call(f.durationMs, () => this.heal(f.target));
        return;
      }
      case 'network-heal':
        recorder.faultApplied(row);
        this.heal(f.target);
        return;
      case 'wan-degrade': {
        const [a, b] = f.sites;
        recorder.faultApplied(row, `wan:${f.target}`);
        for (const h of this.hostsOfSites(f.sites)) blame.mark(pathKey(h.id), ref);
        blame.mark(wanKey(a, b), ref);
        ctx.trace('network', 'wan-degraded', `${f.target} +${f.latencyMs}ms loss ${f.loss}`);
        this.env.net.degrade(a, b, { latencyMs: f.latencyMs, loss: f.loss });
        if (f.durationMs !== undefined) ctx.call(f.durationMs, () => this.wanRestore(a, b));
        return;
      }
      case 'wan-restore':
        recorder.faultApplied(row);
        this.wanRestore(f.sites[0], f.sites[1]);
        return;
      case 'manual-switchover': {
        const pair = this.pair(f.target);
        recorder.faultApplied(row);
        blame.mark(pairKey(pair.id), ref);
        const scs = this.targets.scs.find((s) => s.acting);
        if (!scs) {
          const rec = recorder.switchover({
            pair: pair.id,
            redundancy: pair.redundancy,
            cause: 'manual',
            fault: ref,
            detectedAtMs: ctx.nowMs,
            from: pair.primaryInService()?.id ?? pair.members[0].id,
            to: pair.other(pair.primaryInService() ?? pair.members[0]).id,
          });
          rec.failure = 'no SCS in primary mode to carry out the order';
          return;
        }
        scs.orders.manualSwitchover(pair, ref);
        return;
      }
      case 'graceful-shutdown': {
        const app = this.app(f.target);
        blame.mark(appKey(app.id), ref);
        recorder.faultApplied(row, appKey(app.id));
        this.targets.telephony.gracefulShutdown(app);
        return;
      }
      case 'phone-unregister': {
        const gi = this.targets.groups.indexOf(f.target);
        assert(gi >= 0, () => `fault target: unknown agent group ${f.target}`);
        recorder.faultApplied(row);
        this.targets.desktops.phoneUnregister(gi, f.share, ctx.stream(`fault/${f.id}`));
        return;
      }
      case 'agent-logout': {
        const gi = this.targets.groups.indexOf(f.target);
        assert(gi >= 0, () => `fault target: unknown agent group ${f.target}`);
        recorder.faultApplied(row);
        const end = this.targets.desktops.agentLogout(
          gi,
          f.share,
          f.reason,
          ctx.stream(`fault/${f.id}`),
        );
        if (f.durationMs !== undefined) ctx.call(f.durationMs, end); // they log in again
        return;
      }
      case 'idb-down':
      case 'idb-up': {
        const icons = this.iconsOf(f.target);
        const key = `idb:${f.target}`;
        if (f.kind === 'idb-down') {
          recorder.faultApplied(row, key);
          for (const icon of icons) icon.idbDown(f.id);
          if (f.durationMs !== undefined) {
            ctx.call(f.durationMs, () => {
              for (const icon of icons) icon.idbRestore(`${f.id}-end`);
              recorder.cleared(key, ctx.nowMs);
            });
          }
        } else {
          recorder.faultApplied(row);
          for (const icon of icons) icon.idbRestore(f.id);
          recorder.cleared(key, ctx.nowMs);
        }
        return;
      }
      case 'confdb-down':
      case 'confdb-up': {
        // A Config Server outside a pair has no switchover to guard: only the row is recorded.
        const cs = this.targets.confservs.get(f.target);
        const app = this.app(f.target);
        const key = `confdb:${f.target}`;
        if (f.kind === 'confdb-down') {
          recorder.faultApplied(row, key);
          blame.mark(appKey(app.id), ref);
          cs?.databaseDown(app);
          if (f.durationMs !== undefined) {
            ctx.call(f.durationMs, () => {
              cs?.databaseUp(app);
              recorder.cleared(key, ctx.nowMs);
            });
          }
        } else {
          recorder.faultApplied(row);
          cs?.databaseUp(app);
          recorder.cleared(key, ctx.nowMs);
        }
        return;
      }
      default:
        assertNever(f, 'fault kind');
    }
  }

  /** An ICON app, or an IDB id: every ICON writing to that IDB (sorted by id). */
  private iconsOf(target: string): Icon[] {
    const icon = this.targets.icons.get(target);
    if (icon) return [icon];
    const icons = [...this.targets.icons.values()]
      .filter((i) => i.idb === target)
      .sort((a, b) => compareStrings(a.id, b.id));
    assert(icons.length > 0, () => `fault target: ${target} is neither an ICON nor an IDB`);
    return icons;
  }

  private heal(label: string): void {
    const { ctx, net, recorder } = this.env;
    if (net.heal(label) > 0) {
      ctx.trace('network', 'healed', label);
      recorder.cleared(`partition:${label}`, ctx.nowMs);
    }
  }

  private wanRestore(a: SiteId, b: SiteId): void {
    const { ctx, net, recorder, blame } = this.env;
    if (net.restore(a, b)) {
      ctx.trace('network', 'wan-restored', `${a}|${b}`);
      blame.healed(wanKey(a, b), ctx.nowMs);
      recorder.cleared(`wan:${a}|${b}`, ctx.nowMs);
    }
  }

  private hostsOfSites(sites: readonly SiteId[]): Host[] {
    return [...this.targets.hosts.values()].filter((h) => sites.includes(h.site)).sort(byId);
  }

  private gatewaysUp(site: SiteId): void {
    this.targets.telephony.setGateways(site, true);
    this.env.recorder.cleared(gatewayKey(site), this.env.ctx.nowMs);
  }

  private hostsOfSite(site: SiteId): Host[] {
    return [...this.targets.hosts.values()].filter((h) => h.site === site).sort(byId);
  }

  /**
   * A site crash ends (`one`: that crash's own end; else site-restore, every crash): once none
   * is in force, its hosts boot, but for those still crashed on their own.
   */
  private restoreSite(site: SiteId, cause: string, one: boolean): void {
    if (one) {
      if (bump(this.sitesDown, site, -1) > 0) return;
    } else this.sitesDown.delete(site);
    for (const host of this.hostsOfSite(site)) {
      if (this.hostsDown.has(host.id)) this.env.ctx.trace(host.id, 'restore-waits', 'host-crash');
      else host.restore(cause);
    }
    this.env.recorder.cleared(`site:${site}`, this.env.ctx.nowMs);
  }

  /** A host crash ends (`one`, as above): the host boots, unless its site is still down. */
  private restoreHost(host: Host, cause: string, one: boolean): void {
    if (one) {
      if (bump(this.hostsDown, host.id, -1) > 0) return;
    } else this.hostsDown.delete(host.id);
    if (this.sitesDown.has(host.site)) {
      this.env.ctx.trace(host.id, 'restore-waits', `site-crash ${host.site}`);
      return;
    }
    host.restore(cause);
  }

  private cti(appId: AppId): CtiLinks {
    const l = this.targets.cti.get(appId);
    assert(l, () => `fault target: ${appId} has no CTI links`);
    return l;
  }

  private pair(id: PairId): HaPair {
    const p = this.targets.pairs.get(id);
    assert(p, () => `fault target: unknown pair ${id}`);
    return p;
  }
}

/** The scripted-fault form of one random failure of target `t`, undone after `repairMs`. */
function randomFault(
  spec: FailureSpec,
  t: number,
  id: string,
  atMs: number,
  repairMs: number,
): FaultSpec {
  const base = { id, index: -1, atMs, durationMs: repairMs };
  switch (spec.kind) {
    case 'host-crash':
    case 'lca-crash':
      return { ...base, kind: spec.kind, target: spec.targets[t]! };
    case 'site-crash':
    case 'gateway-down':
      return { ...base, kind: spec.kind, target: spec.targets[t]! };
    case 'process-crash':
    case 'process-hang':
    case 'idb-down':
    case 'confdb-down':
      return { ...base, kind: spec.kind, target: spec.targets[t]! };
    case 'cti-link-down':
      return { ...base, kind: spec.kind, target: spec.targets[t]!, link: 'all', silent: false };
    default:
      return assertNever(spec, 'failure kind');
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Adds `by` to the count of `key` (removed at 0) and returns the new count. */
function bump<K>(counts: Map<K, number>, key: K, by: number): number {
  const n = Math.max(0, (counts.get(key) ?? 0) + by);
  if (n === 0) counts.delete(key);
  else counts.set(key, n);
  return n;
}
