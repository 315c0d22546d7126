// An HA pair: two apps of one type, warm or hot standby. Written once for every pair type.
// It decides nothing (SCS does); it measures: time with no primary in service (service gap)
// and time with two primaries (split brain).

import { objectArray } from '../../sim/index.js';
import type { Env } from '../env.js';
import type { Redundancy } from '../../spec/kinds.js';
import type { PairId } from '../../spec/types.js';
import type { App, AppChange, AppListener, AppStateView } from './app.js';

export type PairState = 'in-service' | 'no-primary' | 'split-brain';

export class HaPair implements AppListener, AppStateView {
  private state: PairState = 'in-service';
  private gapStartMs = -1;
  private splitStartMs = -1;
  private wasInService = true;
  gapMaxMs = 0;
  gapTotalMs = 0;
  splitBrainMs = 0;
  private readonly stateListeners: ((pair: HaPair) => void)[] = objectArray();
  /**
   * primaryInService() as last computed, valid while `primaryStale` is false: a member's every
   * status and role change marks it stale (AppStateView), so it is never out of date. It is read
   * for every call and every ICON source record; members change only on faults.
   */
  private primary: App | undefined = undefined;
  private primaryStale = true;

  constructor(
    private readonly env: Env,
    readonly id: PairId,
    readonly redundancy: Redundancy,
    readonly members: readonly [App, App],
    readonly ctiLinks: number,
  ) {
    for (const m of members) {
      m.listen(this);
      m.view = this;
    }
  }

  appStateChanged(): void {
    this.primaryStale = true;
  }

  get type(): App['type'] {
    return this.members[0].type;
  }

  other(app: App): App {
    return this.members[0] === app ? this.members[1] : this.members[0];
  }

  /** The member in primary mode that serves (Started, not hung); the first by id if two. */
  primaryInService(): App | undefined {
    if (this.primaryStale) {
      this.primary = this.findPrimary();
      this.primaryStale = false;
    }
    return this.primary;
  }

  private findPrimary(): App | undefined {
    // Indexed, not for-of: no iterator in any tier.
    const a = this.members[0];
    if (a.role === 'primary' && a.serving) return a;
    const b = this.members[1];
    return b.role === 'primary' && b.serving ? b : undefined;
  }

  /**
   * The one definition of a pair being up: a member in primary mode serves. The pair's service
   * gaps and the availability report both read it, so a split brain where neither primary serves
   * is down in both, and one where a primary serves is up in both.
   */
  get inService(): boolean {
    return this.primaryInService() !== undefined;
  }

  /** Members whose process runs in primary mode (two = split brain). */
  primariesUp(): number {
    const a = this.members[0];
    const b = this.members[1];
    return (
      (a.role === 'primary' && a.up && a.status !== 'hung' ? 1 : 0) +
      (b.role === 'primary' && b.up && b.status !== 'hung' ? 1 : 0)
    );
  }

  get currentState(): PairState {
    return this.state;
  }

  onStateChange(fn: (pair: HaPair) => void): void {
    this.stateListeners.push(fn);
  }

  onAppChanged(_app: App, _change: AppChange): void {
    this.recompute();
  }

  recompute(): void {
    const now = this.env.ctx.nowMs;
    const inService = this.inService;
    const split = this.primariesUp() >= 2;
    const serviceChanged = inService !== this.wasInService;
    this.wasInService = inService;
    if (!inService && this.gapStartMs < 0) this.gapStartMs = now;
    if (inService && this.gapStartMs >= 0) this.closeGap(now);
    if (split && this.splitStartMs < 0) this.splitStartMs = now;
    if (!split && this.splitStartMs >= 0) this.closeSplit(now);
    const next: PairState = split ? 'split-brain' : inService ? 'in-service' : 'no-primary';
    if (next !== this.state || serviceChanged) {
      if (next !== this.state) this.env.ctx.trace(this.id, next, 'pair');
      this.state = next;
      const ls = this.stateListeners;
      for (let i = 0; i < ls.length; i++) ls[i]!(this);
    }
  }

  private closeGap(now: number): void {
    const d = now - this.gapStartMs;
    this.gapTotalMs += d;
    if (d > this.gapMaxMs) this.gapMaxMs = d;
    this.gapStartMs = -1;
  }

  private closeSplit(now: number): void {
    this.splitBrainMs += now - this.splitStartMs;
    this.splitStartMs = -1;
  }

  /** Closes open intervals at the end of the run. */
  finish(endMs: number): void {
    if (this.gapStartMs >= 0) this.closeGap(endMs);
    if (this.splitStartMs >= 0) this.closeSplit(endMs);
  }
}
