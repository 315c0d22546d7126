// The configuration and statistics listeners (seed 002) and Business Continuity per server type
// (seed 003): all CS Proxies (Stat Servers) of a desktop's site out → a warning, never a site
// switchover; after disaster-recovery.timeout the desktop's connection moves to the peer site's,
// and comes back with bc-server-return when-available. No call moves.
// A desktop hears a server's crash at once (its connection is closed), but not a hang, the
// loss of the server's host or a partition between them (a desktop moved to the other site's
// servers reaches them across the WAN): those it learns from its own ADDP on the connection (the
// poll at stake goes unanswered, client-addp-timeout, DOMAIN §7), at its own moment. A server
// back before that was never missed.

import { assert, mapObjects, type Handler } from '../../sim/index.js';
import { addpLossDetectedAtMs } from '../network/addp.js';
import type { App, AppChange } from '../ha-pair/app.js';
import type { PathWatcher } from '../network/network.js';
import type { DesktopJobs } from './jobs.js';
import { anyServing, Phase, type DesktopState } from './state.js';

const K_CFG_BC = 0; // disaster-recovery.timeout without the CS Proxies of the desktop's site
const K_STAT_BC = 1; // disaster-recovery.timeout without the Stat Servers of the desktop's site
const K_CFG_DETECT = 2; // the desktop's ADDP tells it the CS Proxies it uses are all gone
const K_STAT_DETECT = 3; // the desktop's ADDP tells it the Stat Servers it uses are all gone

/** The index of a site's loss of one kind of server in the per-loss arrays (detecting, …). */
const lossKind = (si: number, stat: boolean): number => si * 2 + (stat ? 1 : 0);

export class SiteServices implements Handler, PathWatcher {
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
  /** The desktop's ADDP is to tell it its CS Proxies (Stat Servers) are all gone (-1: not). */
  private readonly evCfgDetect: Float64Array;
  private readonly evStatDetect: Float64Array;
  private readonly cfgDetectAt: Float64Array;
  private readonly statDetectAt: Float64Array;
  /** Servers down unheard (hung, or their host gone): since when. */
  private readonly silentSince = new Map<App, number>();
  /** Per site desktops stand at: the servers they cannot reach (a partition), since when. */
  private readonly unreach: Map<App, number>[];
  /** Every CS Proxy and Stat Server. */
  private readonly all: App[];
  /**
   * Per site and kind (lossKind): desktops whose ADDP is to tell them of a loss, and whether
   * the first warning and the first move to the peer of that loss were traced. Desktops learn
   * of a loss each at its own moment: the timeline gets one row a loss.
   */
  private readonly detecting: Int32Array;
  private readonly detectTraced: Uint8Array;
  private readonly moveTraced: Uint8Array;

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
    this.evCfgDetect = new Float64Array(n).fill(-1);
    this.evStatDetect = new Float64Array(n).fill(-1);
    this.cfgDetectAt = new Float64Array(n);
    this.statDetectAt = new Float64Array(n);
    this.detecting = new Int32Array(2 * d.sites.length);
    this.unreach = mapObjects(d.sites, () => new Map<App, number>());
    this.all = d.sites.flatMap((_s, si) => this.watched(si));
    this.detectTraced = new Uint8Array(2 * d.sites.length);
    this.moveTraced = new Uint8Array(2 * d.sites.length);
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
    this.stopDetecting(a);
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
    this.stopDetecting(a);
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
    return this.servesFrom(this.servers(a, x, stat), this.d.standsAtIndex(a, this.d.site[a]!));
  }

  /**
   * One of `list` serves a desktop standing at site index `stands`: it serves, and no partition
   * keeps the desktop from it (a desktop uses the other site's servers across the WAN after a
   * DR or continuity move).
   */
  private servesFrom(list: readonly App[], stands: number): boolean {
    const cut = this.unreach[stands]!;
    if (cut.size === 0) return anyServing(list);
    for (let i = 0; i < list.length; i++) if (list[i]!.serving && !cut.has(list[i]!)) return true;
    return false;
  }

  /**
   * PathWatcher: a partition, a heal or a host's power changed. The servers each site's desktops
   * can no longer reach across a partition are lost to them unheard (their ADDP finds it); the
   * desktops follow.
   */
  pathChanged(): void {
    const d = this.d;
    const { net, ctx } = d.env;
    let changed = false;
    for (let x = 0; x < d.sites.length; x++) {
      const cut = this.unreach[x]!;
      if (net.partitionCount === 0 && cut.size === 0) continue; // the usual case: nothing cut
      const site = d.sites[x]!.id;
      for (const app of this.all) {
        // A host powered off is its servers' loss (app.vanished), not a path's.
        const ok = !app.host.powered || net.siteReachable(site, app.host.id);
        if (ok === !cut.has(app)) continue;
        if (ok) cut.delete(app);
        else cut.set(app, ctx.nowMs);
        changed = true;
      }
    }
    if (changed) for (let si = 0; si < d.sites.length; si++) this.checkSiteServices(si);
  }

  /**
   * A CS Proxy or Stat Server of site `si` changed: each working desktop (or one with telephony
   * OFF) connected there whose
   * servers (its login.nodes list for the site, else the site's) all stopped serving is warned —
   * configuration or statistics OFF never triggers a site switchover; with Business Continuity
   * it arms disaster-recovery.timeout, after which it connects to the peer site's (seed 003).
   * Back in service: desktops left without either site's connect here; with bc-server-return
   * when-available, those logged in at this site come back from the other site's.
   */
  checkSiteServices(si: number, app?: App, c?: AppChange): void {
    if (app !== undefined && c !== undefined) this.note(app, c);
    this.check(si, false);
    this.check(si, true);
  }

  /** Whether `app` is down unheard from now: a hang or its host's loss (a crash is heard). */
  private note(app: App, c: AppChange): void {
    if (c.type === 'app.hung' || c.type === 'app.vanished') {
      if (!this.silentSince.has(app)) this.silentSince.set(app, this.d.env.ctx.nowMs);
    } else if (c.type === 'app.crashed' || c.type === 'app.started' || c.type === 'app.unhung')
      this.silentSince.delete(app);
  }

  /**
   * When desktop `a` knows that every server of `list` is gone (all of them have stopped serving
   * by now): a crash at once, a server down unheard when its ADDP poll at stake goes unanswered.
   */
  private knownLostAt(a: number, list: readonly App[]): number {
    const d = this.d;
    const { ctx, net } = d.env;
    let at = ctx.nowMs;
    const x = d.standsAtIndex(a, d.site[a]!);
    const cut = this.unreach[x]!;
    if (this.silentSince.size === 0 && cut.size === 0) return at;
    const stands = d.sites[x]!.id;
    for (let i = 0; i < list.length; i++) {
      // Unheard since its hang or its host's loss, or since the desktop could not reach it (a
      // crash it could not reach is not heard either), whichever came first.
      const hung = this.silentSince.get(list[i]!);
      const away = cut.get(list[i]!);
      if (hung === undefined && away === undefined) continue;
      const since = Math.min(hung ?? Infinity, away ?? Infinity);
      const rtt = 2 * net.siteLatencyTo(stands, list[i]!.host);
      at = Math.max(at, addpLossDetectedAtMs(d.addpPhaseMs[a]!, d.clientAddpMs, rtt, since));
    }
    return at;
  }

  private check(si: number, stat: boolean): void {
    const d = this.d;
    const used = stat ? d.statSite : d.cfgSite;
    const off = stat ? this.statOff : this.cfgOff;
    const waiting = stat ? this.statWaiting : this.cfgWaiting;
    const detect = stat ? this.evStatDetect : this.evCfgDetect;
    let warned = 0;
    let joined = 0;
    let back = 0;
    // Desktops share a few server lists (the site's, a group's login.nodes): whether one serves
    // is asked once per list in a row and check (nothing in the loop changes a server's state).
    let lastList: readonly App[] | undefined;
    let lastStands = -1;
    let serves = false;
    for (let a = 0; a < d.n; a++) {
      const p = d.phase[a];
      // A desktop with telephony OFF still warns; only a working one moves its connections.
      if (p !== Phase.Working && p !== Phase.Off) continue;
      // Connected elsewhere, only a working desktop waiting for either site's servers or one
      // logged in here and connected there can join this site's: the others (half the desktops,
      // per check) are skipped before their list is looked up (servesFrom reads, never writes).
      const u = used[a]!;
      if (u !== si && (p !== Phase.Working || (!waiting[a] && (u < 0 || d.site[a] !== si))))
        continue;
      const list = this.servers(a, si, stat);
      const stands = d.standsAtIndex(a, d.site[a]!);
      if (list !== lastList || stands !== lastStands) {
        lastList = list;
        lastStands = stands;
        serves = this.servesFrom(list, stands);
      }
      if (u === si) {
        if (this.follow(a, si, stat, list, list.length > 0 && !serves)) warned++;
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
      } else if (d.site[a] === si && u >= 0 && g.returnWhenAvailable) {
        if (detect[a]! >= 0) this.stopDetectingOne(a, stat);
        used[a] = si;
        off[a] = 0;
        back++;
      }
    }
    const what = stat ? 'Stat Servers' : 'CS Proxies';
    const id = d.sites[si]!.id;
    if (warned > 0) {
      this.moveTraced[lossKind(si, stat)] = 0;
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
   * Desktop `a`, working and connected at `si` to `list`: whether the servers are `lost` to it.
   * Lost: warned now if it knows (a crash is heard), else when its ADDP tells it. Not lost: a
   * loss it was about to learn is void, and a warned desktop has its servers again. Returns
   * whether it was warned now.
   */
  private follow(
    a: number,
    si: number,
    stat: boolean,
    list: readonly App[],
    lost: boolean,
  ): boolean {
    const d = this.d;
    const off = stat ? this.statOff : this.cfgOff;
    const detect = stat ? this.evStatDetect : this.evCfgDetect;
    if (!lost) {
      if (detect[a]! >= 0) this.stopDetectingOne(a, stat);
      if (off[a]) {
        off[a] = 0;
        (stat ? this.statWaiting : this.cfgWaiting)[a] = 0; // its own site's serve: AIL reconnects
      }
      return false;
    }
    if (off[a]) return false;
    const detectAt = stat ? this.statDetectAt : this.cfgDetectAt;
    const at = this.knownLostAt(a, list);
    if (detect[a]! >= 0) {
      if (at === detectAt[a]) return false; // its ADDP is to tell it then
      this.stopDetectingOne(a, stat);
    }
    if (at > d.env.ctx.nowMs) {
      const kind = lossKind(si, stat);
      if (this.detecting[kind] === 0) {
        this.detectTraced[kind] = 0;
        this.moveTraced[kind] = 0;
      }
      this.detecting[kind]!++;
      detectAt[a] = at;
      detect[a] = d.env.ctx.scheduleAt(at, this, stat ? K_STAT_DETECT : K_CFG_DETECT, a);
      return false;
    }
    this.warn(a, stat);
    return true;
  }

  /**
   * Desktop `a` is working (again): logged in, or telephony back. If the servers it is connected
   * to for configuration or statistics are gone, it is warned as their loss is known to it.
   */
  working(a: number): void {
    const d = this.d;
    for (const stat of [false, true]) {
      const si = (stat ? d.statSite : d.cfgSite)[a]!;
      if (si < 0) continue;
      const list = this.servers(a, si, stat);
      const lost = list.length > 0 && !this.servesFrom(list, d.standsAtIndex(a, d.site[a]!));
      if (!this.follow(a, si, stat, list, lost)) continue;
      this.moveTraced[lossKind(si, stat)] = 0;
      d.traceOnce(
        d.siteComponent[si]!,
        stat ? 'statistics-off' : 'configuration-off',
        'a desktop working again is without them: warned',
      );
    }
  }

  /**
   * Desktop `a` knows it has no CS Proxy (stat: Stat Server) where it is connected: warned
   * (configuration or statistics OFF, never a site switchover); with Business Continuity it arms
   * disaster-recovery.timeout, after which it connects to the peer site's (seed 003).
   */
  private warn(a: number, stat: boolean): void {
    const d = this.d;
    (stat ? this.statOff : this.cfgOff)[a] = 1;
    if (stat) this.warnings.statistics++;
    else this.warnings.configuration++;
    const ev = stat ? this.evStat : this.evCfg;
    const timeout = d.conf(a).drTimeoutMs;
    if (ev[a]! < 0 && d.drPossible(a) && timeout > 0)
      ev[a] = d.env.ctx.schedule(timeout, this, stat ? K_STAT_BC : K_CFG_BC, a);
  }

  /** The desktop's ADDP is no longer to tell it of a loss of either kind (a login, off duty). */
  private stopDetecting(a: number): void {
    if (this.evCfgDetect[a]! >= 0) this.stopDetectingOne(a, false);
    if (this.evStatDetect[a]! >= 0) this.stopDetectingOne(a, true);
  }

  /** The desktop's ADDP is no longer to tell it of a loss: the servers are back. */
  private stopDetectingOne(a: number, stat: boolean): void {
    const si = (stat ? this.d.statSite : this.d.cfgSite)[a]!;
    this.d.cancel(stat ? this.evStatDetect : this.evCfgDetect, a);
    this.detecting[lossKind(si, stat)]!--;
  }

  /** The desktop's ADDP told it that the servers it uses are all gone (if they still are). */
  private detected(a: number, stat: boolean): void {
    const d = this.d;
    (stat ? this.evStatDetect : this.evCfgDetect)[a] = -1;
    const si = (stat ? d.statSite : d.cfgSite)[a]!;
    const kind = lossKind(si, stat);
    this.detecting[kind]!--;
    const p = d.phase[a];
    if ((p !== Phase.Working && p !== Phase.Off) || (stat ? this.statOff : this.cfgOff)[a]) return;
    if (this.serves(a, si, stat)) return;
    this.warn(a, stat);
    if (this.detectTraced[kind]) return;
    this.detectTraced[kind] = 1;
    d.traceOnce(
      d.siteComponent[si]!,
      stat ? 'statistics-off' : 'configuration-off',
      `desktops warned one by one as their ADDP finds the ${stat ? 'Stat Servers' : 'CS Proxies'} gone`,
    );
  }

  /**
   * disaster-recovery.timeout passed without the CS Proxies (or Stat Servers) of the desktop's
   * site: it connects to the other site's of its preferred/peer pair when they serve. This is
   * not a SIP site switchover: the agent stays logged in where it is and keeps its calls. A
   * desktop whose client layer is restarting for another site (a DR switchover under way or
   * due) leaves the move to it.
   */
  private serviceTimeout(a: number, stat: boolean): void {
    const d = this.d;
    const used = stat ? d.statSite : d.cfgSite;
    const si = used[a]!;
    const p = d.phase[a];
    if (si < 0 || p === Phase.Stranded || p === Phase.OffDuty || p === Phase.Switching) return;
    if (this.serves(a, si, stat)) return; // back in time
    if (p === Phase.Off && d.evDr[a]! >= 0) {
      // Telephony is OFF too, and its DR switchover is due: that moves every connection. Should
      // telephony come back instead, the desktop is still without these servers: wait again.
      const ev = stat ? this.evStat : this.evCfg;
      ev[a] = d.env.ctx.schedule(d.conf(a).drTimeoutMs, this, stat ? K_STAT_BC : K_CFG_BC, a);
      return;
    }
    const other = d.otherSite(a, si);
    if (other < 0 || !this.serves(a, other, stat)) {
      // Neither site's serve: the first that serves again takes the connection.
      (stat ? this.statWaiting : this.cfgWaiting)[a] = 1;
      return;
    }
    used[a] = other;
    (stat ? this.statOff : this.cfgOff)[a] = 0;
    this.j.counters.bcMoved(stat);
    const kind = lossKind(si, stat);
    if (this.moveTraced[kind]) return;
    this.moveTraced[kind] = 1;
    d.env.ctx.trace(
      d.siteComponent[si]!,
      stat ? 'statserver-peer' : 'csproxy-peer',
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
      case K_CFG_DETECT:
        this.detected(arg, false);
        return;
      case K_STAT_DETECT:
        this.detected(arg, true);
        return;
      default:
        assert(false, `desktop site services: unknown event kind ${kind}`);
    }
  }
}
