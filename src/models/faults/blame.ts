// Which scripted fault a consequence is attributed to: each fault marks the elements it hit;
// a detector asks for the latest mark among the elements it depends on.

export interface FaultRef {
  faultId: string;
  atMs: number;
}

export class Blame {
  private readonly marks = new Map<string, FaultRef>();
  /** When an element marked by a fault that ends (a degraded WAN) was last healthy again. */
  private readonly heals = new Map<string, number>();

  mark(key: string, ref: FaultRef): void {
    this.marks.set(key, ref);
  }

  /** The element is healthy again at `atMs` (its mark stays: later consequences may be its). */
  healed(key: string, atMs: number): void {
    this.heals.set(key, atMs);
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
   * An ADDP poll across the WAN between `here` and `there` went unanswered: when the WAN was
   * degraded at some time since the poll went out (`pollMs` before now; the timeout may fire
   * just after the WAN is healthy again, the poll or its answer lost before), the wan-degrade hit
   * when the poll went out, not when it began — unless `other`, the fault found otherwise, is
   * later. Otherwise `other`.
   */
  lostPoll(
    other: FaultRef | undefined,
    here: string,
    there: string,
    nowMs: number,
    pollMs: number,
  ): FaultRef | undefined {
    const key = wanKey(here, there);
    const wan = this.latest([key]);
    if (!wan || (other && wan.atMs < other.atMs)) return other;
    const sentMs = nowMs - pollMs;
    const healedMs = this.heals.get(key);
    // Healed before the poll went out (and not degraded again since): not the WAN's doing.
    if (healedMs !== undefined && healedMs >= wan.atMs && healedMs < sentMs) return other;
    return { faultId: wan.faultId, atMs: Math.max(wan.atMs, sentMs) };
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
