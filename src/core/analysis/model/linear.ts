// A multinomial logistic regression over hashed features: weights per (bucket, class) plus
// a bias per class. Classes are always [negative, neutral, positive].
import type { SentimentLabel } from '../../../shared/sentiment';
import type { Features } from './features';

export const CLASSES: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];
export const K = 3;

/** A label's index in CLASSES. */
export const LABEL_INDEX: Readonly<Record<SentimentLabel, number>> = { negative: 0, neutral: 1, positive: 2 };

export interface LinearWeights {
  /** buckets × K, row-major: w[bucket * K + class]. */
  w: Float32Array;
  /** K biases. */
  b: Float32Array;
}

/** Raw scores per class (logits) of features under the weights, added to `out`. */
export function addLogits(m: LinearWeights, f: Features, out: Float64Array): void {
  const { w, b } = m;
  // Sums kept in locals, not read back from `out` at every feature: the same additions in
  // the same order, so the same doubles, without a store and a load per feature and class.
  let o0 = (out[0] ?? 0) + (b[0] ?? 0);
  let o1 = (out[1] ?? 0) + (b[1] ?? 0);
  let o2 = (out[2] ?? 0) + (b[2] ?? 0);
  const { index, value, length } = f;
  for (let i = 0; i < length; i++) {
    const base = (index[i] ?? 0) * K;
    const v = value[i] ?? 0;
    o0 += v * (w[base] ?? 0);
    o1 += v * (w[base + 1] ?? 0);
    o2 += v * (w[base + 2] ?? 0);
  }
  out[0] = o0;
  out[1] = o1;
  out[2] = o2;
}

/**
 * addLogits and polarityContributions in one pass over the features: each bucket's weights
 * are read once. The same arithmetic, in the same order, as the two apart. `into`, when long
 * enough, receives the contributions (a buffer reused from one text to the next); the result
 * is then a view of its first `f.length` entries.
 */
export function addLogitsAndPolarity(m: LinearWeights, f: Features, out: Float64Array, into?: Float64Array): Float64Array {
  const { w, b } = m;
  let o0 = (out[0] ?? 0) + (b[0] ?? 0);
  let o1 = (out[1] ?? 0) + (b[1] ?? 0);
  let o2 = (out[2] ?? 0) + (b[2] ?? 0);
  const { index, value, length } = f;
  const polarity = into && into.length >= length ? into.subarray(0, length) : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const base = (index[i] ?? 0) * K;
    const v = value[i] ?? 0;
    const w0 = w[base] ?? 0;
    const w2 = w[base + 2] ?? 0;
    o0 += v * w0;
    o1 += v * (w[base + 1] ?? 0);
    o2 += v * w2;
    polarity[i] = v * (w2 - w0);
  }
  out[0] = o0;
  out[1] = o1;
  out[2] = o2;
  return polarity;
}

export function softmax(logits: Float64Array): Float64Array {
  let max = -Infinity;
  for (const z of logits) if (z > max) max = z;
  const p = new Float64Array(logits.length);
  let s = 0;
  for (let c = 0; c < logits.length; c++) {
    p[c] = Math.exp((logits[c] ?? 0) - max);
    s += p[c] ?? 0;
  }
  for (let c = 0; c < p.length; c++) p[c] = (p[c] ?? 0) / s;
  return p;
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] ?? 0) > (p[best] ?? 0)) best = c;
  return best;
}

/**
 * How much each feature pushed towards positive (and away from negative): the
 * explanation of a decision, from the weights themselves.
 */
export function polarityContributions(m: LinearWeights, f: Features): Float64Array {
  const out = new Float64Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const base = (f.index[i] ?? 0) * K;
    out[i] = (f.value[i] ?? 0) * ((m.w[base + 2] ?? 0) - (m.w[base] ?? 0));
  }
  return out;
}
