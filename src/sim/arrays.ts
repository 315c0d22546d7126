// Arrays whose element kind is fixed from the start (V8's hidden classes of arrays).

/**
 * An empty array that holds objects (or strings: any value but a number) from the start. An
 * empty literal starts as an array of small integers and changes kind at its first element,
 * when V8 can no longer record that change for the next replication's array: each
 * replication's first push then threw away the optimised code of the functions that push
 * (compiled for the other kind).
 */
export function objectArray<T>(): T[] {
  const a = [{}] as T[];
  a.length = 0;
  return a;
}

/** An empty array of numbers kept as doubles from the start (times that may pass 2^30 ms). */
export function doubleArray(): number[] {
  const a = [0.5];
  a.length = 0;
  return a;
}

/**
 * `src.map(fn)` as an array of objects (or any value but a double) whatever the compiler tier.
 * Array.prototype.map's builtin returns a packed array; once TurboFan inlines map into the
 * function that calls it, map returns a holey one. A model's constructor runs once a replication
 * and gets there after a dozen or more: from then on its arrays have another hidden class, and
 * every function compiled for the old one is thrown away ("wrong map") and runs unoptimised for
 * several replications (bench-day's routing points' pairs, read by every call, at the 18th).
 * Numbers belong in typed arrays.
 */
export function mapObjects<S, T>(src: readonly S[], fn: (s: S, i: number) => T): T[] {
  const out = objectArray<T>();
  for (let i = 0; i < src.length; i++) out.push(fn(src[i]!, i));
  return out;
}
