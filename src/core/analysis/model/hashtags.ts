// Run-together hashtags ("#boicottalunetta") read as words: split into the lexicon's words by
// the cheapest cover, memoised per dictionary. A feature group of its own (see features.ts).
import type { Lexicon } from '../lexicon';

/** The words a run-together hashtag may be split into: the lexicon's single words and forms. */
export type Dictionary = ReadonlySet<string>;

export function dictionaryOf(lex: Lexicon): Set<string> {
  const d = new Set<string>();
  for (const w of lex.words.keys()) if (w.length >= 3 && /^\p{L}+$/u.test(w)) d.add(w);
  for (const w of lex.forms.keys()) if (w.length >= 3) d.add(w);
  return d;
}

/** Splits a run-together hashtag into dictionary words and leftover runs; null when nothing is known. */
export function splitHashtag(tag: string, dict: Dictionary): string[] | null {
  const n = tag.length;
  if (n < 6 || n > 40) return null;
  // cost[i]: best cost of tag[0, i); a known word costs 1, an unknown letter 1.5.
  const cost = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  const known = new Uint8Array(n + 1);
  cost[0] = 0;
  for (let i = 1; i <= n; i++) {
    const c1 = (cost[i - 1] ?? Infinity) + 1.5;
    if (c1 < (cost[i] ?? Infinity)) {
      cost[i] = c1;
      from[i] = i - 1;
      known[i] = 0;
    }
    for (let j = Math.max(0, i - 20); j <= i - 3; j++) {
      if (!dict.has(tag.slice(j, i))) continue;
      const c = (cost[j] ?? Infinity) + 1;
      if (c < (cost[i] ?? Infinity)) {
        cost[i] = c;
        from[i] = j;
        known[i] = 1;
      }
    }
  }
  const parts: string[] = [];
  let anyKnown = false;
  let unknownRun = '';
  for (let i = n; i > 0; ) {
    const j = from[i] ?? i - 1;
    if (known[i]) {
      if (unknownRun) parts.push(unknownRun);
      unknownRun = '';
      parts.push(tag.slice(j, i));
      if (i - j >= 4) anyKnown = true;
    } else unknownRun = tag.slice(j, i) + unknownRun;
    i = j;
  }
  if (unknownRun) parts.push(unknownRun);
  if (!anyKnown || parts.length < 2) return null;
  return parts.reverse().filter((p) => p.length >= 3);
}

const SPLIT_MEMO_MAX = 50_000;
const splitMemos = new WeakMap<Dictionary, Map<string, string[] | null>>();

/** splitHashtag, memoised per dictionary: a stream's hashtags come back again and again. */
export function splitHashtagMemo(tag: string, dict: Dictionary): string[] | null {
  let memo = splitMemos.get(dict);
  if (!memo) {
    memo = new Map();
    splitMemos.set(dict, memo);
  }
  let parts = memo.get(tag);
  if (parts === undefined) {
    parts = splitHashtag(tag, dict);
    if (memo.size >= SPLIT_MEMO_MAX) memo.clear();
    memo.set(tag, parts);
  }
  return parts;
}
