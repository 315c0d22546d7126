// Which scripted fault a consequence is attributed to: each fault marks the elements it hit;
// a detector asks for the latest mark among the elements it depends on.

export interface FaultRef {
  faultId: string;
  atMs: number;
}

export class Blame {
  private readonly marks = new Map<string, FaultRef>();

  mark(key: string, ref: FaultRef): void {
    this.marks.set(key, ref);
  }

  /** The latest fault among these elements (ties: the first key given). */
  latest(keys: readonly string[]): FaultRef | undefined {
    let best: FaultRef | undefined;
    for (const k of keys) {
      const m = this.marks.get(k);
      if (m && (!best || m.atMs > best.atMs)) best = m;
    }
    return best;
  }

  /**
   * An ADDP poll across the WAN between `here` and `there` went unanswered while the WAN was
   * degraded: the wan-degrade hit when the poll went out (`pollMs` before now), not when it
   * began — unless `other`, the fault found otherwise, is later.
   */
  lostPoll(
    other: FaultRef | undefined,
    here: string,
    there: string,
    nowMs: number,
    pollMs: number,
  ): FaultRef | undefined {
    const wan = this.latest([wanKey(here, there)]);
    if (!wan || (other && wan.atMs < other.atMs)) return other;
    return { faultId: wan.faultId, atMs: Math.max(wan.atMs, nowMs - pollMs) };
  }
}

export const hostKey = (id: string): string => `host:${id}`;
export const appKey = (id: string): string => `app:${id}`;
export const pathKey = (id: string): string => `path:${id}`;
export const pairKey = (id: string): string => `pair:${id}`;
export const lcaKey = (id: string): string => `lca:${id}`;
/** The WAN between two sites (wan-degrade), in either order. */
export const wanKey = (a: string, b: string): string => (a < b ? `wan:${a}|${b}` : `wan:${b}|${a}`);
/** A site's gateways (gateway-down). */
export const gatewayKey = (site: string): string => `gateway:${site}`;
