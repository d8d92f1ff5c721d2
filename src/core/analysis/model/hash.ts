// Feature hashing: a feature is a string (a word, a word pair, a character n-gram…) mapped
// to one of 2^bits buckets by 32-bit FNV-1a over its UTF-16 code units. The model file then
// holds only weights per bucket, never the words it was trained on.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of `prefix` followed by s[from, to): no substring is built on the hot path. */
export function hashSpan(prefix: number, s: string, from: number, to: number): number {
  let h = prefix;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** The running hash after a namespace tag ("w:", "c:"…), to continue with hashSpan. */
export function hashPrefix(tag: string): number {
  return hashSpan(FNV_OFFSET, tag, 0, tag.length);
}

export function hashString(tag: string, s: string): number {
  return hashSpan(hashPrefix(tag), s, 0, s.length);
}
