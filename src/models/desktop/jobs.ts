// What the jobs of a desktop call of each other. Desktops (desktop.ts) holds one of each and
// implements DesktopJobs, so the compiler checks every job class against its entry here. Each
// job is named by the calls the others make, not by its class: this file imports no job, and the
// jobs that import it form no cycle (test/types/import-cycles.test.ts allows none).

import type { Counters } from './counters.js';

/** login.ts: start-up and the logins (CS Proxy, login.nodes, queues, restore-agent-state). */
export interface LoginJob {
  /** Connect to the CS Proxy of either site, read the preferred site, log in there. */
  startUp(a: number): void;
  /** Restart the client layer against `site` (a DR switchover, a return, a re-login). */
  loginAt(a: number, site: number): void;
  /** Ready after agent-ready-delay (no restore-agent-state: the agent makes itself Ready). */
  readyLater(a: number): void;
}

/** telephony-listener.ts: follows the pool's SIP pair. */
export interface TelephonyListenerJob {
  /**
   * The client layer (re)connects to the pool's pair: hot to each running member, warm to the
   * primary. Returns whether it is connected to one of them now.
   */
  connectAll(a: number, pool: number): boolean;
  /** Telephony OFF: retry every warm-standby.retry-delay (+0–jitter); DR after the timeout. */
  goOff(a: number): void;
}

/** dr-switchover.ts */
export interface DrSwitchoverJob {
  /** Disaster Recovery switchover to the other site of the agent (preferred ⇄ peer). */
  switchSite(a: number, from?: number): void;
}

/** registration.ts: the phone's registration cycle, auto-restore. */
export interface RegistrationJob {
  /** The endpoint's next registration is an event. */
  armTick(a: number): void;
  /** disaster-recovery.auto-restore: return on the endpoint's next registration. */
  armReturn(a: number): void;
}

/** site-services.ts: configuration and statistics connections, their OFF warnings and moves. */
export interface SiteServicesJob {
  /** A login restarts the client layer: configuration through `proxySite`, statistics at `site`. */
  loginThrough(a: number, proxySite: number, site: number): void;
  /** Off duty: no continuity move pending. */
  offDuty(a: number): void;
  /** Working (again): warned if its configuration or statistics servers are gone. */
  working(a: number): void;
}

/** duty.ts: shifts, agent-logout, phone-unregister. */
export interface DutyJob {
  /** Logged out on purpose: every timer stops until the agent's next shift. */
  offDuty(a: number): void;
}

/** The jobs of a desktop, each in its own file; they call each other through this. */
export interface DesktopJobs {
  readonly login: LoginJob;
  readonly telephony: TelephonyListenerJob;
  readonly dr: DrSwitchoverJob;
  readonly registration: RegistrationJob;
  readonly services: SiteServicesJob;
  readonly duty: DutyJob;
  readonly counters: Counters;
}
