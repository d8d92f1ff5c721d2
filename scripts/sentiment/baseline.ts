// The plain baseline the issue measures against: a word (1–2) + character (2–5, inside word
// boundaries) n-gram logistic regression, no lexicon, no rules, no negation, no names.
import { hashPrefix, hashSpan } from '../../src/core/analysis/model/hash';
import type { Features } from '../../src/core/analysis/model/features';

const WORD = /[\p{L}\p{N}_]+/gu;
const P_W = hashPrefix('pw:');
const P_B = hashPrefix('pb:');
const P_C = hashPrefix('pc:');

export function plainFeatures(text: string, bits: number): Features {
  const mask = (1 << bits) - 1;
  const words = text.toLowerCase().match(WORD) ?? [];
  const idx: number[] = [];
  const val: number[] = [];
  let prev: string | null = null;
  for (const w of words) {
    idx.push(hashSpan(P_W, w, 0, w.length) & mask);
    if (prev !== null) idx.push(hashSpan(hashSpan(P_B, prev, 0, prev.length) ^ 0x20, w, 0, w.length) & mask);
    prev = w;
  }
  const nw = idx.length;
  for (const w of words) {
    const s = ` ${w} `;
    for (let n = 2; n <= 5; n++) for (let k = 0; k + n <= s.length; k++) idx.push(hashSpan(P_C, s, k, k + n) & mask);
  }
  const nc = idx.length - nw;
  for (let i = 0; i < nw; i++) val.push(1 / Math.sqrt(nw));
  for (let i = 0; i < nc; i++) val.push(1 / Math.sqrt(nc));
  return { index: Int32Array.from(idx), value: Float32Array.from(val), source: new Int32Array(idx.length).fill(-1), length: idx.length, words: [], lexicon: [], stops: new Uint8Array(0) };
}
