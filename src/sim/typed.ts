// Growing typed arrays (the engine's and the models' pooled records).

/** A copy of `a` with room for `cap` elements (the new tail is zero). */
export function grown(a: Float64Array, cap: number): Float64Array<ArrayBuffer>;
export function grown(a: Int32Array, cap: number): Int32Array<ArrayBuffer>;
export function grown(a: Uint32Array, cap: number): Uint32Array<ArrayBuffer>;
export function grown(a: Uint8Array, cap: number): Uint8Array<ArrayBuffer>;
export function grown(
  a: Float64Array | Int32Array | Uint32Array | Uint8Array,
  cap: number,
): unknown {
  const b = new (a.constructor as new (n: number) => typeof a)(cap);
  b.set(a);
  return b;
}
