// Compiled by test/types/ids.test.ts (not run): branded ids (src/spec/ids.ts) are kept apart by
// the compiler; a plain string becomes one only through its constructor.
import type { Network } from '../../src/models/network/network.js';
import type { OrderBook } from '../../src/models/scs/orders.js';
import type { Scs } from '../../src/models/scs/scs.js';
import { appId, hostId, pairId, siteId } from '../../src/spec/ids.js';
import type { AppId, HostId, PairId, SiteId } from '../../src/spec/types.js';

export function sites(net: Network, label: string): string[] {
  const a: SiteId = siteId('A');
  const b = siteId('B');
  net.degradation(a, b);
  // @ts-expect-error a plain string is no SiteId
  net.degradation('A', b);
  // @ts-expect-error nor is a string variable
  const c: SiteId = label;
  // A SiteId is still a string wherever one is expected (messages, CSV cells).
  const text: string = a;
  return [text, c];
}

export function hosts(net: Network, site: SiteId): boolean[] {
  const h: HostId = hostId('a-sip-1');
  const g = hostId('b-sip-1');
  // @ts-expect-error a site id is no host id
  net.reachable(site, g);
  // @ts-expect-error a host id is no site id
  net.degradation(h, site);
  // @ts-expect-error a plain string is no host id
  net.reachable('a-sip-1', g);
  return [net.reachable(h, g)];
}

export function apps(scs: Scs, host: HostId, net: Network): string[] {
  const a: AppId = appId('sip-a-1');
  // @ts-expect-error a host id is refused where an app id is expected
  scs.believedStatus(host);
  // @ts-expect-error an app id is refused where a host id is expected
  net.reachable(a, host);
  // @ts-expect-error a plain string is no app id
  scs.believedStatus('sip-a-1');
  return [scs.believedStatus(a)];
}

export function pairs(orders: OrderBook, app: AppId): (AppId | undefined)[] {
  const p: PairId = pairId('sip-a');
  // @ts-expect-error an app id is no pair id (sip-a-1 is a member of sip-a)
  orders.lastPromoted(app);
  // @ts-expect-error a plain string is no pair id
  orders.busy('sip-a');
  // @ts-expect-error a pair id is no app id
  const a: AppId = p;
  return [orders.lastPromoted(p), a];
}
