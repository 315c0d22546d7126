// Distributions drawn from a Stream. Durations are rounded once, where drawn, to whole
// milliseconds (simulated time is integer ms).

import { assert, assertNever } from './assert.js';
import type { Stream } from './rng.js';

export function uniform(rng: Stream, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Exponential with the given mean (any unit). */
export function exponential(rng: Stream, mean: number): number {
  return standardExponential(rng) * mean;
}

// Ziggurat tables for Exp(1) (Marsaglia & Tsang 2000, 256 layers of equal area). Layer i >= 1
// spans x in [0, x_i) between heights exp(-x_i) and exp(-x_{i-1}); layer 0 is the base strip
// plus the tail beyond ZIG_R. Built once at load; read-only afterwards.
const ZIG_R = 7.697117470131487; // x_255, where the tail starts
const ZIG_V = 3.949659822581572e-3; // area of every layer
const TWO_POW_53 = 2 ** 53;
const zigK = new Float64Array(256); // u53 < zigK[i]: inside layer i's rectangle under the curve
const zigW = new Float64Array(256); // x = u53 * zigW[i]
const zigF = new Float64Array(256); // exp(-x_i)
{
  let x = ZIG_R;
  let xAbove = ZIG_R;
  const q = ZIG_V / Math.exp(-ZIG_R); // width of the base strip
  zigK[0] = (ZIG_R / q) * TWO_POW_53;
  zigK[1] = 0;
  zigW[0] = q / TWO_POW_53;
  zigW[255] = ZIG_R / TWO_POW_53;
  zigF[0] = 1;
  zigF[255] = Math.exp(-ZIG_R);
  for (let i = 254; i >= 1; i--) {
    x = -Math.log(ZIG_V / x + Math.exp(-x));
    zigK[i + 1] = (x / xAbove) * TWO_POW_53;
    xAbove = x;
    zigF[i] = Math.exp(-x);
    zigW[i] = x / TWO_POW_53;
  }
}

/**
 * Exp(1) by the ziggurat method: two 32-bit draws give the layer (8 bits) and, from the other
 * bits, a 53-bit uniform; ~99% of draws return at once, without a logarithm.
 */
export function standardExponential(rng: Stream): number {
  for (;;) {
    const a = rng.uint32();
    const b = rng.uint32();
    const i = b & 255;
    const u53 = (a >>> 3) * 2 ** 24 + (b >>> 8); // uniform integer in [0, 2^53)
    if (u53 < zigK[i]!) return u53 * zigW[i]!;
    if (i === 0) return ZIG_R - Math.log(rng.next()); // the tail: memoryless beyond ZIG_R
    const x = u53 * zigW[i]!;
    if (zigF[i]! + rng.next() * (zigF[i - 1]! - zigF[i]!) < Math.exp(-x)) return x;
  }
}

// Ziggurat tables for N(0, 1) (Marsaglia & Tsang 2000, 256 layers of equal area ZIGN_V), as for
// Exp(1) above: layer i >= 1 spans |x| in [0, x_i) between heights f(x_i) and f(x_{i+1}) (f the
// unnormalised density exp(-x²/2), x_1 = ZIGN_R, x_256 = 0); layer 0 is the base strip plus the
// tail beyond ZIGN_R. Built once at load; read-only afterwards.
const ZIGN_R = 3.6541528853610088; // x_1, where the tail starts
const ZIGN_V = 4.928673233974658e-3; // area of every layer: r f(r) + the tail's area
const TWO_POW_52 = 2 ** 52;
const zignK = new Float64Array(256); // u52 < zignK[i]: inside layer i's rectangle under the curve
const zignW = new Float64Array(256); // |x| = u52 * zignW[i]
const zignF = new Float64Array(257); // f(x_i)
{
  const f = (x: number) => Math.exp(-0.5 * x * x);
  const x = new Float64Array(257);
  x[0] = ZIGN_V / f(ZIGN_R); // the base strip's width
  x[1] = ZIGN_R;
  for (let i = 1; i < 255; i++) x[i + 1] = Math.sqrt(-2 * Math.log(ZIGN_V / x[i]! + f(x[i]!)));
  x[256] = 0;
  for (let i = 0; i < 256; i++) {
    zignK[i] = (x[i + 1]! / x[i]!) * TWO_POW_52;
    zignW[i] = x[i]! / TWO_POW_52;
  }
  for (let i = 0; i <= 256; i++) zignF[i] = f(x[i]!);
}

// zigguratNormal leaves its draw here instead of returning it. A double returned by a call V8
// did not inline is boxed (a 16-byte HeapNumber), and whether V8 inlines the ziggurat into its
// caller depends on the caller's inlining budget, which varies from process to process (bench-
// day's handle times boxed ~1 MB a replication in some). standardNormal, which reads it, is
// small enough for V8 to inline wherever its caller is hot. (The exponential's ziggurat still
// returns its draw: M/M/c inlines it, and through the array counted 1–4 % more instructions.)
const DRAW = new Float64Array(1);

/**
 * Standard normal by the ziggurat method: two 32-bit draws give the layer (8 bits), the sign
 * (1 bit) and a 52-bit uniform; ~99% of draws return at once, with no logarithm, square root or
 * cosine (Box–Muller's three a draw).
 */
export function standardNormal(rng: Stream): number {
  zigguratNormal(rng);
  return DRAW[0]!;
}

/** standardNormal's draw, into DRAW[0]. */
function zigguratNormal(rng: Stream): void {
  for (;;) {
    const a = rng.uint32();
    const b = rng.uint32();
    const i = b & 255;
    const neg = (b & 256) !== 0;
    const u52 = a * 2 ** 20 + (b >>> 12); // uniform integer in [0, 2^52)
    const x = u52 * zignW[i]!;
    if (u52 < zignK[i]!) {
      DRAW[0] = neg ? -x : x;
      return;
    }
    if (i === 0) {
      const t = normalTail(rng);
      DRAW[0] = neg ? -t : t;
      return;
    }
    if (zignF[i]! + rng.next() * (zignF[i + 1]! - zignF[i]!) < Math.exp(-0.5 * x * x)) {
      DRAW[0] = neg ? -x : x;
      return;
    }
  }
}

/** |x| of N(0, 1) beyond ZIGN_R (Marsaglia 1964): out of line, ~0.03% of draws. */
function normalTail(rng: Stream): number {
  for (;;) {
    const x = -Math.log(rng.next()) / ZIGN_R;
    const y = -Math.log(rng.next());
    if (2 * y >= x * x) return ZIGN_R + x;
  }
}

// The parameters of the last lognormal drawn (a run draws from few distributions, mostly one
// handle time): two logarithms and a square root per draw saved, the same values computed.
let lnMean = NaN;
let lnCv = NaN;
let lnMu = 0;
let lnSigma = 0;

/** Lognormal with the given mean and coefficient of variation. */
export function lognormal(rng: Stream, mean: number, cv: number): number {
  if (mean !== lnMean || cv !== lnCv) lognormalParams(mean, cv);
  return Math.exp(lnMu + lnSigma * standardNormal(rng));
}

function lognormalParams(mean: number, cv: number): void {
  lnMu = lognormalMu(mean, cv);
  lnSigma = lognormalSigma(cv);
  lnMean = mean;
  lnCv = cv;
}

/** μ of the normal whose exponential has this mean and coefficient of variation. */
function lognormalMu(mean: number, cv: number): number {
  return Math.log(mean) - Math.log(1 + cv * cv) / 2;
}

/** σ of the normal whose exponential has this coefficient of variation. */
function lognormalSigma(cv: number): number {
  return Math.sqrt(Math.log(1 + cv * cv));
}

/** Weibull with shape k and the given mean. */
export function weibull(rng: Stream, mean: number, shape: number): number {
  return weibullScale(mean, shape) * Math.pow(-Math.log(1 - rng.next()), 1 / shape);
}

/** The scale of the Weibull with shape k and the given mean. */
function weibullScale(mean: number, shape: number): number {
  return mean / gamma(1 + 1 / shape);
}

/** Lanczos approximation of the gamma function (for the Weibull mean). */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}

/** A duration distribution over milliseconds, as users write it (mean plus shape). */
export type DurationDist =
  | { kind: 'fixed'; meanMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'lognormal'; meanMs: number; cv: number }
  | { kind: 'weibull'; meanMs: number; shape: number };

/** Draws a duration in whole milliseconds (rounded once, here). */
export function drawMs(rng: Stream, d: DurationDist): number {
  // Exponential first and alone: the hot path of every traffic model stays small enough to
  // inline into its callers (a full switch here cost ~7 ns a draw).
  if (d.kind === 'exponential') return checkedMs(standardExponential(rng) * d.meanMs, d);
  return drawOtherMs(rng, d);
}

function drawOtherMs(rng: Stream, d: Exclude<DurationDist, { kind: 'exponential' }>): number {
  switch (d.kind) {
    case 'fixed':
      return Math.round(d.meanMs);
    case 'uniform':
      return checkedMs(uniform(rng, d.minMs, d.maxMs), d);
    case 'lognormal':
      return checkedMs(lognormal(rng, d.meanMs, d.cv), d);
    case 'weibull':
      return checkedMs(weibull(rng, d.meanMs, d.shape), d);
    default:
      return assertNever(d, 'duration distribution');
  }
}

const S_FIXED = 0;
const S_EXPONENTIAL = 1;
const S_UNIFORM = 2;
const S_LOGNORMAL = 3;
const S_WEIBULL = 4;

/**
 * A duration distribution ready to draw from on a hot path (a call's handle time): a numeric
 * code instead of the kind's string, and the parameters drawMs derives on every draw worked out
 * once (the lognormal's μ and σ, the Weibull's scale and 1/k) by the same functions. Its draws
 * are drawMs's, value for value, consuming the stream identically.
 */
export class DurationSampler {
  private readonly code: number;
  private readonly p1: number;
  private readonly p2: number;

  constructor(readonly dist: DurationDist) {
    switch (dist.kind) {
      case 'fixed':
        this.code = S_FIXED;
        this.p1 = Math.round(dist.meanMs);
        this.p2 = 0;
        break;
      case 'exponential':
        this.code = S_EXPONENTIAL;
        this.p1 = dist.meanMs;
        this.p2 = 0;
        break;
      case 'uniform':
        this.code = S_UNIFORM;
        this.p1 = dist.minMs;
        this.p2 = dist.maxMs;
        break;
      case 'lognormal':
        this.code = S_LOGNORMAL;
        this.p1 = lognormalMu(dist.meanMs, dist.cv);
        this.p2 = lognormalSigma(dist.cv);
        break;
      case 'weibull':
        this.code = S_WEIBULL;
        this.p1 = weibullScale(dist.meanMs, dist.shape);
        this.p2 = 1 / dist.shape;
        break;
      default:
        throw assertNever(dist, 'duration distribution');
    }
  }

  /** Draws a duration in whole milliseconds: drawMs(rng, dist). */
  drawMs(rng: Stream): number {
    let v: number;
    switch (this.code) {
      case S_LOGNORMAL:
        v = Math.exp(this.p1 + this.p2 * standardNormal(rng));
        break;
      case S_EXPONENTIAL:
        v = standardExponential(rng) * this.p1;
        break;
      case S_FIXED:
        return this.p1;
      case S_UNIFORM:
        v = this.p1 + (this.p2 - this.p1) * rng.next();
        break;
      default:
        v = this.p1 * Math.pow(-Math.log(1 - rng.next()), this.p2);
    }
    if (!(v >= 0 && v < Infinity)) badDraw(v, this.dist);
    return roundMs(v);
  }
}

function checkedMs(v: number, d: DurationDist): number {
  if (!(v >= 0 && v < Infinity)) badDraw(v, d);
  return roundMs(v);
}

function badDraw(v: number, d: DurationDist): never {
  assert(false, `bad draw ${v} from ${JSON.stringify(d)}`);
}

/**
 * Math.round for v >= 0, without its cost on the hot path: floor(v + 0.5) can only overshoot
 * by one (when v + 0.5 rounds up), and the check undoes exactly that. Exact below 2^51.
 */
export function roundMs(v: number): number {
  if (!(v < 2 ** 51)) return Math.round(v);
  const r = Math.floor(v + 0.5);
  return r - 0.5 > v ? r - 1 : r;
}

export function meanMsOf(d: DurationDist): number {
  return d.kind === 'uniform' ? (d.minMs + d.maxMs) / 2 : d.meanMs;
}
