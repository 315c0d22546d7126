// Logging a desktop in (seeds 002, 003): start-up through the CS Proxy of either site, and the
// client-layer restart of a DR switchover, a return or a re-login through a CS Proxy of the
// target site (login.nodes, cluster members: the least loaded running one), waiting the
// login.nodes Timeout when all of them failed; then the proxy's and the SIP Server's login queues.
// Leaves out: authentication failures, hot seating.

import { assert, mapObjects, type Handler } from '../../sim/index.js';
import type { App } from '../ha-pair/app.js';
import { DEAD } from '../ha-pair/client.js';
import type { DesktopJobs } from './jobs.js';
import { Phase, type DesktopState } from './state.js';

const K_SWITCH_DONE = 0; // the login went through both queues
const K_LOGIN_RETRY = 1; // no CS Proxy of the target site answered: try again
const K_READY = 2; // agent-ready-delay after a login without restore-agent-state

/** A FIFO server: logins are served one at a time at a fixed rate (model assumption). */
export class LoginQueue {
  private freeAtMs = 0;
  constructor(private readonly serviceMs: number) {}
  /** When a login arriving at `nowMs` would start being served. */
  freeAt(nowMs: number): number {
    return Math.max(nowMs, this.freeAtMs);
  }

  /** When a login arriving now completes here. */
  admit(nowMs: number): number {
    const start = Math.max(nowMs, this.freeAtMs);
    this.freeAtMs = start + this.serviceMs;
    return this.freeAtMs;
  }
}

export class Login implements Handler {
  /** Login queue of each CS Proxy (by index in `proxyIndex`): a cluster adds capacity. */
  private readonly proxyQueues: LoginQueue[];
  private readonly proxyIndex: Map<App, number>;
  private readonly sipQueues: LoginQueue[];
  /** The CS Proxy the pending login goes through (undefined: the site has none). */
  private readonly loginProxy: (App | undefined)[];
  /** When the pending login's wait for a CS Proxy began (its first failed attempt); -1: none. */
  private readonly waitSinceMs: Float64Array;

  constructor(
    private readonly d: DesktopState,
    private readonly j: DesktopJobs,
  ) {
    const { opts } = d.env;
    const allProxies = d.sites.flatMap((s) => s.proxies);
    this.proxyIndex = new Map(mapObjects(allProxies, (p, i) => [p, i] as const));
    this.proxyQueues = mapObjects(
      allProxies,
      () => new LoginQueue(1000 / opts.num('csproxy-login-rate')),
    );
    this.sipQueues = mapObjects(
      d.tel.pools,
      () => new LoginQueue(1000 / opts.num('sipserver-login-rate')),
    );
    this.loginProxy = new Array<App | undefined>(d.n).fill(undefined);
    this.waitSinceMs = new Float64Array(d.n).fill(-1);
  }

  /**
   * Connect to the CS Proxy of either site (the one configured first: the preferred site's),
   * falling back to the other; read the preferred site; log in there.
   */
  startUp(a: number): void {
    const d = this.d;
    const g = d.conf(a);
    const first = this.firstProxySite(a, g.preferred);
    d.setPhase(a, Phase.Starting);
    this.j.counters.startEpisode(a);
    if (first === undefined) {
      // No CS Proxy of either site answers: try again (no login.nodes Timeout before a first
      // successful connection).
      d.traceOnce(
        d.siteComponent[Math.max(0, g.preferred)]!,
        'login-waiting',
        'no CS Proxy of any site answers',
        g.retryDelayMs,
      );
      d.evLogin[a] = d.env.ctx.schedule(g.retryDelayMs, this, K_LOGIN_RETRY, a);
      return;
    }
    // Configuration through `first`; the SIP login at the preferred site (Business Continuity
    // per server type, seed 003: the CS Proxy and the SIP Server are chosen apart).
    const target = d.poolAt(a, g.preferred) >= 0 ? g.preferred : first;
    this.beginLogin(a, target, first);
  }

  /**
   * The first site, in the desktop's order (its preferred site, then the others in order), whose
   * CS Proxy answers; undefined when none does.
   */
  private firstProxySite(a: number, preferred: number): number | undefined {
    const d = this.d;
    if (preferred >= 0 && d.proxyUp(a, preferred)) return preferred;
    for (let s = 0; s < d.sites.length; s++) if (s !== preferred && d.proxyUp(a, s)) return s;
    return undefined;
  }

  /**
   * The running CS Proxy of `site` a login goes through: the first running one in the desktop's
   * order, or in a cluster the one whose login queue frees first (order breaks ties). Undefined
   * when none runs.
   */
  private pickProxy(a: number, site: number, atMs: number): App | undefined {
    let best: App | undefined;
    let bestMs = Infinity;
    const clustered = this.d.sites[site]!.proxiesClustered;
    for (const p of this.d.proxiesFor(a, site)) {
      if (!this.d.proxyAnswers(a, site, p)) continue;
      if (!clustered) return p;
      const free = this.proxyQueues[this.proxyIndex.get(p)!]!.freeAt(atMs);
      if (free < bestMs) {
        best = p;
        bestMs = free;
      }
    }
    return best;
  }

  /**
   * Restart the client layer against `site` (a DR switchover, a return, a re-login): through a
   * CS Proxy of that site; when none answers, wait the site's login.nodes Timeout and try again.
   * The desktop is connected to no SIP Server meanwhile (telephony OFF): with Business
   * Continuity, disaster-recovery.timeout runs from the first failed attempt, and an attempt
   * that fails after it switches the desktop to the other site of its pair when that site's CS
   * Proxy answers (seed 003). `retry`: an attempt of the same wait.
   */
  loginAt(a: number, site: number, retry = false): void {
    const d = this.d;
    const g = d.conf(a);
    d.cancelTimers(a);
    d.switchTarget[a] = site;
    this.j.counters.startEpisode(a);
    if (d.phase[a] !== Phase.Starting) d.setPhase(a, Phase.Switching);
    if (d.proxiesFor(a, site).length === 0 || d.proxyUp(a, site)) {
      this.beginLogin(a, site, site);
      return;
    }
    const now = d.env.ctx.nowMs;
    if (!retry || this.waitSinceMs[a]! < 0) this.waitSinceMs[a] = now;
    else if (this.giveUp(a, site, now - this.waitSinceMs[a]!)) {
      this.waitSinceMs[a] = -1;
      this.j.dr.switchSite(a, site);
      return;
    }
    d.link[a] = DEAD;
    d.tel.agentControl.setConnected(a, false);
    const timeout =
      site === g.peer && site !== g.preferred ? g.nodesTimeoutMs[1] : g.nodesTimeoutMs[0];
    const delay = d.everConnected[a] ? timeout : g.retryDelayMs;
    const component = d.siteComponent[site]!;
    // A row per retry cycle and site, not per desktop's retry.
    if (d.traceDue(component, 'login-waiting', delay))
      d.env.ctx.trace(
        component,
        'login-waiting',
        `no CS Proxy answers; retry in ${delay / 1000} s`,
      );
    d.evLogin[a] = d.env.ctx.schedule(Math.max(1, delay), this, K_LOGIN_RETRY, a);
  }

  /**
   * A login that has waited `waitedMs` for a CS Proxy of `site` gives up on it: with Business
   * Continuity, after disaster-recovery.timeout, when a CS Proxy of the other site of the
   * desktop's pair answers (else it waits on: the other site would not serve it either).
   */
  private giveUp(a: number, site: number, waitedMs: number): boolean {
    const d = this.d;
    const g = d.conf(a);
    if (!d.drPossible(a) || g.drTimeoutMs <= 0 || waitedMs < g.drTimeoutMs) return false;
    const other = d.otherSite(a, site);
    return other >= 0 && d.proxyUp(a, other);
  }

  /**
   * Restart the client layer for `site` and log in through a CS Proxy of `proxySite`: relogin
   * time, then that proxy's login queue and the SIP Server's.
   */
  private beginLogin(a: number, site: number, proxySite = site): void {
    const d = this.d;
    const { ctx } = d.env;
    const g = d.conf(a);
    d.cancelTimers(a);
    d.link[a] = DEAD; // the client layer restarts: its connections close
    d.tel.agentControl.setConnected(a, false);
    d.switchTarget[a] = site;
    if (d.phase[a] !== Phase.Starting) d.setPhase(a, Phase.Switching);
    this.waitSinceMs[a] = -1;
    const pool = d.poolAt(a, site);
    const t1 = ctx.nowMs + g.reloginMs;
    const proxy = this.pickProxy(a, proxySite, t1);
    this.loginProxy[a] = proxy;
    // The client layer restarts for the target site: configuration through the proxy's site,
    // statistics and telephony at the target.
    this.j.services.loginThrough(a, proxySite, site);
    const t2 = proxy === undefined ? t1 : this.proxyQueues[this.proxyIndex.get(proxy)!]!.admit(t1);
    const t3 = pool >= 0 ? this.sipQueues[pool]!.admit(t2) : t2;
    d.evSwitch[a] = ctx.scheduleAt(Math.ceil(t3), this, K_SWITCH_DONE, a);
  }

  private onSwitchDone(a: number): void {
    const d = this.d;
    const { ctx } = d.env;
    d.evSwitch[a] = -1;
    const site = d.switchTarget[a]!;
    const pool = d.poolAt(a, site);
    const g = d.conf(a);
    const wasStarting = d.phase[a] === Phase.Starting;
    const proxy = this.loginProxy[a];
    if (proxy !== undefined && !d.proxyAnswers(a, site, proxy)) {
      // The CS Proxy went away (or out of reach) while the login waited in its queue: try again.
      if (wasStarting) this.startUp(a);
      else this.loginAt(a, site);
      return;
    }
    d.everConnected[a] = 1;
    d.site[a] = site;
    if (pool < 0 || !d.tel.poolInService(pool) || !this.j.telephony.connectAll(a, pool)) {
      // Nobody answers the login (no server in service, or none the desktop can reach across
      // a partition): the telephony service is OFF at this site.
      this.j.telephony.goOff(a);
      return;
    }
    d.setPhase(a, Phase.Working);
    this.j.counters.loginDone(a, site);
    this.j.services.working(a);
    // Workspace (re)launches its SIP endpoint with the login: it registers at this site now, and
    // its reg_timeout counts from here. A hard phone keeps its own registration cycle.
    if (!g.hardPhone) {
      d.regPhaseMs[a] = ctx.nowMs;
      d.phoneDown[a] = 0;
    }
    const phoneOk = d.phoneDown[a] === 0;
    const restore = g.restoreAgentState;
    const ready = phoneOk && (wasStarting || restore);
    // restore-agent-state: the wait until the last state is back (after an open interaction).
    this.j.counters.restoreAsked(a, phoneOk && !wasStarting && restore);
    d.tel.agentControl.login(a, pool, ready);
    // An unregistered phone takes no call until EventDNBackInService (its next registration).
    d.tel.agentControl.setConnected(a, phoneOk && d.hasPrimary(a, pool));
    if (!phoneOk) this.j.registration.armTick(a);
    else if (!ready) this.readyLater(a);
    this.j.counters.loggedInAt(a, site);
    this.j.registration.armReturn(a);
  }

  /** Ready after agent-ready-delay (no restore-agent-state: the agent makes itself Ready). */
  readyLater(a: number): void {
    const d = this.d;
    d.evRetry[a] = d.env.ctx.schedule(d.conf(a).readyDelayMs, this, K_READY, a);
  }

  onEvent(kind: number, arg: number): void {
    const d = this.d;
    switch (kind) {
      case K_SWITCH_DONE:
        return this.onSwitchDone(arg);
      case K_LOGIN_RETRY:
        d.evLogin[arg] = -1;
        if (d.phase[arg] === Phase.Starting) this.startUp(arg);
        else if (d.phase[arg] === Phase.Switching) this.loginAt(arg, d.switchTarget[arg]!, true);
        return;
      case K_READY:
        d.evRetry[arg] = -1;
        d.tel.agentControl.makeReady(arg);
        return;
      default:
        assert(false, `desktop login: unknown event kind ${kind}`);
    }
  }
}
