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
