// Branded ids: a site, a host, an app and a pair id are all plain strings at run time, but the
// compiler keeps them apart, so a host id cannot be passed where an app id is expected. Made only
// by the constructors below, which the loader (scenario/topology.ts, scenario/faults.ts) calls
// once an id has been checked; hand-built specs in tests call them too. Leaves out: group and
// cluster ids (plain strings).

declare const idKind: unique symbol;

/** A string the compiler knows to be an id of kind K. */
type Id<K extends string> = string & { readonly [idKind]: K };

/** A site of the topology (`A`, `B`). */
export type SiteId = Id<'site'>;

/** A site id, once the loader has checked it names a site of the topology. */
export function siteId(id: string): SiteId {
  return id as SiteId;
}

/** A host of the topology (`a-sip-1`). */
export type HostId = Id<'host'>;

/** A host id, once the loader has checked it names a host of the topology. */
export function hostId(id: string): HostId {
  return id as HostId;
}

/** An app of the topology (`sip-a-1`). */
export type AppId = Id<'app'>;

/** An app id, once the loader has checked it names an app of the topology. */
export function appId(id: string): AppId {
  return id as AppId;
}

/** An HA pair of the topology (`sip-a`): what pairs, their orders and their clients are keyed by. */
export type PairId = Id<'pair'>;

/** A pair id, once the loader has checked it names a pair of the topology. */
export function pairId(id: string): PairId {
  return id as PairId;
}
