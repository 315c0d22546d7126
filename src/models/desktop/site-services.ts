// The configuration and statistics listeners (seed 002) and Business Continuity per server type
// (seed 003): all CS Proxies (Stat Servers) of a desktop's site out → a warning, never a site
// switchover; after disaster-recovery.timeout the desktop's connection moves to the peer site's,
// and comes back with bc-server-return when-available. No call moves.

import { assert, type Handler } from '../../sim/index.js';
import type { App } from '../ha-pair/app.js';
import type { DesktopJobs } from './jobs.js';
import { anyServing, Phase, type DesktopState } from './state.js';

const K_CFG_BC = 0; // disaster-recovery.timeout without the CS Proxies of the desktop's site
const K_STAT_BC = 1; // disaster-recovery.timeout without the Stat Servers of the desktop's site

export class SiteServices implements Handler {
  readonly warnings = { configuration: 0, statistics: 0 };
  private readonly evCfg: Float64Array;
  private readonly evStat: Float64Array;
  /**
   * disaster-recovery.timeout passed without the CS Proxy (Stat Servers) and neither site's
   * served: the desktop connects to the first site whose servers serve again.
   */
  private readonly cfgWaiting: Uint8Array;
  private readonly statWaiting: Uint8Array;
  /** The desktop was warned: none of its CS Proxies (Stat Servers) where it is connected serves. */
  private readonly cfgOff: Uint8Array;
  private readonly statOff: Uint8Array;

  constructor(
    private readonly d: DesktopState,
    private readonly j: DesktopJobs,
  ) {
    const n = d.n;
    this.evCfg = new Float64Array(n).fill(-1);
    this.evStat = new Float64Array(n).fill(-1);
    this.cfgWaiting = new Uint8Array(n);
    this.statWaiting = new Uint8Array(n);
    this.cfgOff = new Uint8Array(n);
    this.statOff = new Uint8Array(n);
  }

  /** The CS Proxies and Stat Servers whose changes the listeners follow, per site. */
  watched(si: number): App[] {
    const s = this.d.sites[si]!;
    return [...s.proxies, ...s.statServers];
  }

  /**
   * A login restarts the client layer: configuration through a proxy of `proxySite`, statistics
   * at the target `site`.
   */
  loginThrough(a: number, proxySite: number, site: number): void {
    this.d.cfgSite[a] = proxySite;
    this.d.statSite[a] = site;
    this.cfgWaiting[a] = 0;
    this.statWaiting[a] = 0;
    this.cfgOff[a] = 0;
    this.statOff[a] = 0;
  }

  /** Off duty: no continuity move pending. */
  offDuty(a: number): void {
    this.d.cancel(this.evCfg, a);
    this.d.cancel(this.evStat, a);
    this.cfgWaiting[a] = 0;
    this.statWaiting[a] = 0;
    this.cfgOff[a] = 0;
    this.statOff[a] = 0;
  }

  /**
   * The CS Proxies (stat: Stat Servers) desktop `a` uses at site `x`: its login.nodes list for
   * that site, else the site's (DesktopState.proxiesFor) — the same list for the warning, the
   * move to the peer and the logins.
   */
  private servers(a: number, x: number, stat: boolean): readonly App[] {
    return stat ? this.d.sites[x]!.statServers : this.d.proxiesFor(a, x);
  }

  /** The desktop has servers of that kind at `x` and one of them serves. */
  private serves(a: number, x: number, stat: boolean): boolean {
    return anyServing(this.servers(a, x, stat));
  }

  /**
   * A CS Proxy or Stat Server of site `si` changed: each working desktop connected there whose
   * servers (its login.nodes list for the site, else the site's) all stopped serving is warned —
   * configuration or statistics OFF never triggers a site switchover; with Business Continuity
   * it arms disaster-recovery.timeout, after which it connects to the peer site's (seed 003).
   * Back in service: desktops left without either site's connect here; with bc-server-return
   * when-available, those logged in at this site come back from the other site's.
   */
  checkSiteServices(si: number): void {
    this.check(si, false);
    this.check(si, true);
  }

  private check(si: number, stat: boolean): void {
    const d = this.d;
    const used = stat ? d.statSite : d.cfgSite;
    const off = stat ? this.statOff : this.cfgOff;
    const waiting = stat ? this.statWaiting : this.cfgWaiting;
    const ev = stat ? this.evStat : this.evCfg;
    let warned = 0;
    let joined = 0;
    let back = 0;
    // Desktops share a few server lists (the site's, a group's login.nodes): whether one serves
    // is asked once per list in a row and check (nothing in the loop changes a server's state).
    let lastList: readonly App[] | undefined;
    let serves = false;
    for (let a = 0; a < d.n; a++) {
      if (d.phase[a] !== Phase.Working) continue;
      const list = this.servers(a, si, stat);
      if (list !== lastList) {
        lastList = list;
        serves = anyServing(list);
      }
      if (used[a] === si) {
        const lost = list.length > 0 && !serves;
        if (lost && !off[a]) {
          off[a] = 1;
          warned++;
          const timeout = d.conf(a).drTimeoutMs;
          if (ev[a]! < 0 && d.drPossible(a) && timeout > 0)
            ev[a] = d.env.ctx.schedule(timeout, this, stat ? K_STAT_BC : K_CFG_BC, a);
        } else if (!lost && off[a]) {
          off[a] = 0;
          waiting[a] = 0; // its own site's serve again: AIL reconnects there
        }
        continue;
      }
      if (!serves) continue;
      const g = d.conf(a);
      if (waiting[a]) {
        if (si !== g.preferred && si !== g.peer) continue;
        waiting[a] = 0;
        off[a] = 0;
        used[a] = si;
        joined++;
        this.j.counters.bcMoved(stat);
      } else if (d.site[a] === si && used[a]! >= 0 && g.returnWhenAvailable) {
        used[a] = si;
        off[a] = 0;
        back++;
      }
    }
    const what = stat ? 'Stat Servers' : 'CS Proxies';
    const id = d.sites[si]!.id;
    if (warned > 0) {
      if (stat) this.warnings.statistics += warned;
      else this.warnings.configuration += warned;
      d.traceOnce(
        d.siteComponent[si]!,
        stat ? 'statistics-off' : 'configuration-off',
        `${warned} desktops warned`,
      );
    }
    if (joined > 0)
      d.traceOnce(
        d.siteComponent[si]!,
        stat ? 'statserver-peer' : 'csproxy-peer',
        `${joined} desktops without their own site's ${what} use site ${id}'s`,
      );
    if (back > 0)
      d.traceOnce(
        d.siteComponent[si]!,
        stat ? 'statserver-back' : 'csproxy-back',
        `${back} desktops back on site ${id}'s ${what}`,
      );
  }

  /**
   * disaster-recovery.timeout passed without the CS Proxies (or Stat Servers) of the desktop's
   * site: it connects to the other site's of its preferred/peer pair when they serve. This is
   * not a SIP site switchover: the agent stays logged in where it is and keeps its calls.
   */
  private serviceTimeout(a: number, stat: boolean): void {
    const d = this.d;
    const used = stat ? d.statSite : d.cfgSite;
    const si = used[a]!;
    if (si < 0 || d.phase[a] === Phase.Stranded || d.phase[a] === Phase.OffDuty) return;
    if (this.serves(a, si, stat)) return; // back in time
    const g = d.conf(a);
    const other = si === g.preferred ? g.peer : g.preferred;
    if (other < 0 || !this.serves(a, other, stat)) {
      // Neither site's serve: the first that serves again takes the connection.
      (stat ? this.statWaiting : this.cfgWaiting)[a] = 1;
      return;
    }
    used[a] = other;
    (stat ? this.statOff : this.cfgOff)[a] = 0;
    this.j.counters.bcMoved(stat);
    const component = d.siteComponent[si]!;
    const state = stat ? 'statserver-peer' : 'csproxy-peer';
    if (d.traceDue(component, state))
      d.env.ctx.trace(
        component,
        state,
        `desktops of site ${d.sites[si]!.id} use site ${d.sites[other]!.id}'s ${stat ? 'Stat Servers' : 'CS Proxies'}`,
      );
  }

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_CFG_BC:
        this.evCfg[arg] = -1;
        this.serviceTimeout(arg, false);
        return;
      case K_STAT_BC:
        this.evStat[arg] = -1;
        this.serviceTimeout(arg, true);
        return;
      default:
        assert(false, `desktop site services: unknown event kind ${kind}`);
    }
  }
}
