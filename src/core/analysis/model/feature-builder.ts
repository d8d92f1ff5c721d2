// The buffers a text's features are written into (features.ts fills them, then copies them
// out or lends them as views): growable typed arrays reused from one text to the next, so the
// hot path allocates no growing lists per text. Values are kept in doubles until the copy.

export class Builder {
  index = new Int32Array(1024);
  value = new Float64Array(1024);
  source = new Int32Array(1024);
  /** The values rounded to single precision, for borrowed features. */
  value32 = new Float32Array(1024);
  /** Per source word: 1 for a grammar word (Features.stops). */
  stops = new Uint8Array(256);
  length = 0;
  mask = 0;
  reset(mask: number): this {
    this.mask = mask;
    this.length = 0;
    return this;
  }
  add(h: number, v: number, src: number): void {
    if (this.length === this.index.length) this.grow();
    const n = this.length++;
    this.index[n] = h & this.mask;
    this.value[n] = v;
    this.source[n] = src;
  }
  /** add(h, v, src) for every h of `hs`, with one capacity check (a word's character n-grams). */
  addAll(hs: Int32Array, v: number, src: number): void {
    const n = this.length;
    const m = hs.length;
    while (n + m > this.index.length) this.grow();
    const { index, value, source, mask } = this;
    for (let g = 0; g < m; g++) {
      index[n + g] = (hs[g] ?? 0) & mask;
      value[n + g] = v;
      source[n + g] = src;
    }
    this.length = n + m;
  }
  private grow(): void {
    const size = this.index.length * 2;
    const index = new Int32Array(size);
    index.set(this.index);
    const value = new Float64Array(size);
    value.set(this.value);
    const source = new Int32Array(size);
    source.set(this.source);
    this.index = index;
    this.value = value;
    this.source = source;
    this.value32 = new Float32Array(size);
  }
  /** Notes whether source word `src` is a grammar word. */
  stop(src: number, yes: boolean): void {
    if (src >= this.stops.length) {
      const stops = new Uint8Array(Math.max(this.stops.length * 2, src + 1));
      stops.set(this.stops);
      this.stops = stops;
    }
    this.stops[src] = yes ? 1 : 0;
  }
  /** L2-normalises entries [from, end) and scales them. */
  normalize(from: number, scale: number): void {
    let ss = 0;
    for (let i = from; i < this.length; i++) ss += (this.value[i] ?? 0) ** 2;
    if (ss === 0) return;
    const k = scale / Math.sqrt(ss);
    for (let i = from; i < this.length; i++) this.value[i] = (this.value[i] ?? 0) * k;
  }
}
