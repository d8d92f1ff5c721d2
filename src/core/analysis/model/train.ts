// Training a multinomial logistic regression: L2-regularised cross-entropy minimised by
// L-BFGS over the buckets the training texts actually use. Full-batch and free of random
// draws, so the same examples in the same order give the same weights, bit for bit.
import type { Features } from './features';
import { K, type LinearWeights } from './linear';

export interface Example {
  f: Features;
  /** 0 negative, 1 neutral, 2 positive. */
  y: number;
  /** Weight of the example in the loss (corpus weight, class balance). */
  s: number;
}

export interface TrainOptions {
  /** L2 strength per unit of (normalised) example weight. */
  l2: number;
  maxIter?: number;
  /** Stop when the loss improves by less than this (relative) over 5 iterations. */
  tol?: number;
  /** Fixed logits added before the softmax (a stacked layer learns on top of a base model). */
  offsets?: readonly Float64Array[];
  /** Fit a bias per class (default). A correction layer has none: all-positive corrections must not make everything positive. */
  bias?: boolean;
}

interface Compact {
  dim: number;
  /** Per example: compact feature ids and values. */
  ids: Int32Array[];
  vals: Float32Array[];
  buckets: Int32Array;
}

function compact(examples: readonly Example[]): Compact {
  const map = new Map<number, number>();
  const ids: Int32Array[] = [];
  const vals: Float32Array[] = [];
  for (const e of examples) {
    const a = new Int32Array(e.f.length);
    for (let i = 0; i < e.f.length; i++) {
      const bkt = e.f.index[i] ?? 0;
      let id = map.get(bkt);
      if (id === undefined) {
        id = map.size;
        map.set(bkt, id);
      }
      a[i] = id;
    }
    ids.push(a);
    vals.push(e.f.value.subarray(0, e.f.length));
  }
  const buckets = new Int32Array(map.size);
  for (const [bkt, id] of map) buckets[id] = bkt;
  return { dim: map.size, ids, vals, buckets };
}

/** Loss and gradient at x = [W (dim×K) | b (K)]. */
function lossGrad(x: Float64Array, g: Float64Array, c: Compact, ex: readonly Example[], sTotal: number, l2: number, offsets?: readonly Float64Array[]): number {
  g.fill(0);
  const bOff = c.dim * K;
  let loss = 0;
  const z = new Float64Array(K);
  for (let n = 0; n < ex.length; n++) {
    const e = ex[n];
    if (!e) continue;
    const ids = c.ids[n] ?? new Int32Array();
    const vals = c.vals[n] ?? new Float32Array();
    const off = offsets?.[n];
    for (let k = 0; k < K; k++) z[k] = (x[bOff + k] ?? 0) + (off?.[k] ?? 0);
    for (let i = 0; i < ids.length; i++) {
      const base = (ids[i] ?? 0) * K;
      const v = vals[i] ?? 0;
      z[0] = (z[0] ?? 0) + v * (x[base] ?? 0);
      z[1] = (z[1] ?? 0) + v * (x[base + 1] ?? 0);
      z[2] = (z[2] ?? 0) + v * (x[base + 2] ?? 0);
    }
    const max = Math.max(z[0] ?? 0, z[1] ?? 0, z[2] ?? 0);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      z[k] = Math.exp((z[k] ?? 0) - max);
      sum += z[k] ?? 0;
    }
    const w = e.s / sTotal;
    loss -= w * Math.log(Math.max((z[e.y] ?? 0) / sum, 1e-300));
    for (let k = 0; k < K; k++) {
      const d = w * ((z[k] ?? 0) / sum - (k === e.y ? 1 : 0));
      z[k] = d;
      g[bOff + k] = (g[bOff + k] ?? 0) + d;
    }
    for (let i = 0; i < ids.length; i++) {
      const base = (ids[i] ?? 0) * K;
      const v = vals[i] ?? 0;
      g[base] = (g[base] ?? 0) + v * (z[0] ?? 0);
      g[base + 1] = (g[base + 1] ?? 0) + v * (z[1] ?? 0);
      g[base + 2] = (g[base + 2] ?? 0) + v * (z[2] ?? 0);
    }
  }
  let reg = 0;
  for (let i = 0; i < bOff; i++) {
    const xi = x[i] ?? 0;
    reg += xi * xi;
    g[i] = (g[i] ?? 0) + l2 * xi;
  }
  return loss + 0.5 * l2 * reg;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/** Trains weights for `bits` buckets. Deterministic for the same examples in the same order. */
export function trainLinear(examples: readonly Example[], bits: number, opt: TrainOptions): LinearWeights {
  const c = compact(examples);
  const n = c.dim * K + K;
  const sTotal = examples.reduce((a, e) => a + e.s, 0) || 1;
  const fitBias = opt.bias ?? true;
  const f = (x: Float64Array, g: Float64Array): number => {
    const loss = lossGrad(x, g, c, examples, sTotal, opt.l2, opt.offsets);
    if (!fitBias) g.fill(0, c.dim * K);
    return loss;
  };
  const x = lbfgs(f, new Float64Array(n), opt.maxIter ?? 300, opt.tol ?? 1e-7);
  const w = new Float32Array((1 << bits) * K);
  for (let id = 0; id < c.dim; id++) {
    const bkt = c.buckets[id] ?? 0;
    for (let k = 0; k < K; k++) w[bkt * K + k] = x[id * K + k] ?? 0;
  }
  const b = new Float32Array(K);
  for (let k = 0; k < K; k++) b[k] = x[c.dim * K + k] ?? 0;
  return { w, b };
}

/** Limited-memory BFGS (m = 8) with a backtracking Armijo line search. */
function lbfgs(f: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, maxIter: number, tol: number): Float64Array {
  const m = 8;
  const n = x0.length;
  let x = x0;
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const history: number[] = [fx];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  for (let it = 0; it < maxIter; it++) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -(g[i] ?? 0);
    for (let j = S.length - 1; j >= 0; j--) {
      const a = (rho[j] ?? 0) * dot(S[j] ?? d, d);
      alpha[j] = a;
      const yj = Y[j] ?? d;
      for (let i = 0; i < n; i++) d[i] = (d[i] ?? 0) - a * (yj[i] ?? 0);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const yy = dot(Y[last] ?? d, Y[last] ?? d);
      const gamma = yy > 0 ? 1 / ((rho[last] ?? 1) * yy) : 1;
      for (let i = 0; i < n; i++) d[i] = (d[i] ?? 0) * gamma;
    } else {
      const gn = Math.sqrt(dot(g, g)) || 1;
      for (let i = 0; i < n; i++) d[i] = (d[i] ?? 0) / gn;
    }
    for (let j = 0; j < S.length; j++) {
      const b = (rho[j] ?? 0) * dot(Y[j] ?? d, d);
      const sj = S[j] ?? d;
      const coef = (alpha[j] ?? 0) - b;
      for (let i = 0; i < n; i++) d[i] = (d[i] ?? 0) + coef * (sj[i] ?? 0);
    }
    let gd = dot(g, d);
    if (gd >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -(g[i] ?? 0);
      gd = dot(g, d);
    }
    let step = 1;
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);
    let fn = 0;
    let ok = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) xn[i] = (x[i] ?? 0) + step * (d[i] ?? 0);
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * step * gd) {
        ok = true;
        break;
      }
      step *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (xn[i] ?? 0) - (x[i] ?? 0);
      y[i] = (gn[i] ?? 0) - (g[i] ?? 0);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    x = xn;
    g = gn;
    fx = fn;
    history.push(fx);
    const k = history.length - 1;
    if (k >= 5) {
      const before = history[k - 5] ?? fx;
      if ((before - fx) / Math.max(Math.abs(fx), 1e-12) < tol * 5) break;
    }
  }
  return x;
}
