// Deterministic orders: never let insertion order decide; comparators return 0 only for equal keys.

/** Total order on strings by UTF-16 code units (no locale): 0 only for equal strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders anything with a string id by that id. */
export function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return compareStrings(a.id, b.id);
}
