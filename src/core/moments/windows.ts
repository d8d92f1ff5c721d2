// Over 400 lines (~410): one packed data structure and every operation on its arrays, which
// must agree on the layout.
// The recent windows of every tracked key, packed in typed arrays. Emergent terms make some
// twenty keys per mention, most of them seen once: kept as a Map of window objects per key,
// each with its own array of mention ids and its own pending row, tracking made ~35 objects
// per mention, and the collector's pauses were the longest stalls of a rebuild. Here a key is
// a slot, a window a record in a pool (its key's windows linked newest first) and a mention id
// an entry of an arena linked per window; freed records and entries are reused, so steady
// tracking allocates nothing per mention but the key strings themselves.
//
// What is kept is exactly what the Map of windows kept (the detector's answers depend on it):
// a key's windows down to `span` before its newest, a window opened late below that until the
// key opens another one, and the mention ids of its newest two windows (and of a window just
// opened late) until it opens another window.

/** Fields of a window record (Float64Array, WF per window). */
const W_BUCKET = 0;
const W_N = 1;
const W_NEG = 2;
const W_POS = 3;
const W_SENT = 4;
const W_BRAND = 5;
/** The same five counts, added by the batch being tracked and not yet written. */
const W_PENDING = 6;
const WF = 11;
/** Links of a window record (Int32Array, WI per window). */
const W_KEY = 0;
const W_NEXT = 1;
const W_IDS_HEAD = 2;
const W_IDS_TAIL = 3;
const W_IS_PENDING = 4;
const WI = 5;

const NONE = -1;

/** One count row not yet written: bucket, key, n, neg, pos, sent_sum, brand (flat, seven values a row). */
export type FlatCountRows = (string | number)[];

export class KeyWindows {
  private readonly index = new Map<string, number>();
  private keyName: (string | undefined)[] = [];
  /** Per key slot: its newest window, when it last opened one (in steps), and its place in the queue. */
  private kHead = new Int32Array(64);
  private kTouched = new Float64Array(64);
  private kPrev = new Int32Array(64);
  private kNext = new Int32Array(64);
  private kTop = 0;
  private kFree: number[] = [];
  /** The queue of keys, least recently opened a window first. */
  private qHead = NONE;
  private qTail = NONE;

  private wf = new Float64Array(256 * WF);
  private wi = new Int32Array(256 * WI);
  private wTop = 0;
  private wFree = NONE;

  private idVal = new Float64Array(1024);
  private idNext = new Int32Array(1024);
  private idTop = 0;
  private idFree = NONE;

  /** Windows with a pending row, in the order they got one (an entry may have been freed since). */
  private pending: number[] = [];
  /** Pending rows of windows freed before the batch was written. */
  private spilled: FlatCountRows = [];

  /** `span`: how many windows below its newest a key keeps. */
  constructor(readonly span: number) {}

  get size(): number {
    return this.index.size;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The keys, least recently opened a window first. */
  *keys(): IterableIterator<string> {
    for (let k = this.qHead; k !== NONE; k = this.kNext[k]!) yield this.keyName[k]!;
  }

  clear(): void {
    this.index.clear();
    this.keyName = [];
    this.kTop = 0;
    this.kFree = [];
    this.qHead = this.qTail = NONE;
    this.wTop = 0;
    this.wFree = NONE;
    this.idTop = 0;
    this.idFree = NONE;
    this.pending = [];
    this.spilled = [];
  }

  /** A key's slot, or -1. */
  slot(key: string): number {
    return this.index.get(key) ?? NONE;
  }

  /** The window of a key's slot for a bucket, or -1. */
  windowAt(slot: number, bucket: number): number {
    if (slot === NONE) return NONE;
    for (let w = this.kHead[slot]!; w !== NONE; w = this.wi[w * WI + W_NEXT]!) {
      const b = this.wf[w * WF + W_BUCKET]!;
      if (b === bucket) return w;
      if (b < bucket) return NONE;
    }
    return NONE;
  }

  /** The window of the bucket just before window `w`'s, of the same key, or -1. */
  previous(w: number): number {
    if (w === NONE) return NONE;
    const next = this.wi[w * WI + W_NEXT]!;
    return next !== NONE && this.wf[next * WF + W_BUCKET] === this.wf[w * WF + W_BUCKET]! - 1 ? next : NONE;
  }

  /** The window of a key for a bucket, or -1. */
  get(key: string, bucket: number): number {
    return this.windowAt(this.slot(key), bucket);
  }

  /**
   * A key slot's counts for buckets `from`…`to` into `n` and `neg` (index 0 is `from`; zero
   * where it has no window), in one walk of its windows.
   */
  fill(slot: number, from: number, to: number, n: Float64Array, neg: Float64Array): void {
    n.fill(0, 0, to - from + 1);
    neg.fill(0, 0, to - from + 1);
    if (slot === NONE) return;
    for (let w = this.kHead[slot]!; w !== NONE; w = this.wi[w * WI + W_NEXT]!) {
      const b = this.wf[w * WF + W_BUCKET]!;
      if (b < from) return;
      if (b > to) continue;
      n[b - from] = this.wf[w * WF + W_N]!;
      neg[b - from] = this.wf[w * WF + W_NEG]!;
    }
  }

  n(w: number): number {
    return w === NONE ? 0 : this.wf[w * WF + W_N]!;
  }
  neg(w: number): number {
    return w === NONE ? 0 : this.wf[w * WF + W_NEG]!;
  }
  pos(w: number): number {
    return w === NONE ? 0 : this.wf[w * WF + W_POS]!;
  }
  sent(w: number): number {
    return w === NONE ? 0 : this.wf[w * WF + W_SENT]!;
  }
  brand(w: number): number {
    return w === NONE ? 0 : this.wf[w * WF + W_BRAND]!;
  }

  /**
   * The window of a key for a bucket, opened if missing. A key met for the first time joins
   * the back of the queue; a known key that opens a window moves there (touched = `step`),
   * forgets its windows more than `span` below its newest and the mention ids of all but its
   * newest two (the window just opened keeps its own).
   */
  open(key: string, bucket: number, step: number): number {
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.newKey(key);
      this.kTouched[k] = step;
      const w = this.newWindow(k, bucket);
      this.kHead[k] = w;
      return w;
    }
    // Newest first: the usual case (the key's newest window, or a new newest one) stops at the head.
    let prev = NONE;
    let cur = this.kHead[k]!;
    while (cur !== NONE) {
      const b = this.wf[cur * WF + W_BUCKET]!;
      if (b === bucket) return cur;
      if (b < bucket) break;
      prev = cur;
      cur = this.wi[cur * WI + W_NEXT]!;
    }
    const w = this.newWindow(k, bucket);
    this.wi[w * WI + W_NEXT] = cur;
    if (prev === NONE) this.kHead[k] = w;
    else this.wi[prev * WI + W_NEXT] = w;
    this.opened(k, w, step);
    return w;
  }

  /** Adds to a window's counts (and to its pending row when `pending`), and links a mention id to it. */
  add(w: number, n: number, neg: number, pos: number, sent: number, brand: number, id: number | null, pending: boolean): void {
    const f = w * WF;
    const wf = this.wf;
    wf[f + W_N] = wf[f + W_N]! + n;
    wf[f + W_NEG] = wf[f + W_NEG]! + neg;
    wf[f + W_POS] = wf[f + W_POS]! + pos;
    wf[f + W_SENT] = wf[f + W_SENT]! + sent;
    wf[f + W_BRAND] = wf[f + W_BRAND]! + brand;
    if (pending) {
      const i = w * WI;
      if (this.wi[i + W_IS_PENDING] === 0) {
        this.wi[i + W_IS_PENDING] = 1;
        this.pending.push(w);
      }
      wf[f + W_PENDING] = wf[f + W_PENDING]! + n;
      wf[f + W_PENDING + 1] = wf[f + W_PENDING + 1]! + neg;
      wf[f + W_PENDING + 2] = wf[f + W_PENDING + 2]! + pos;
      wf[f + W_PENDING + 3] = wf[f + W_PENDING + 3]! + sent;
      wf[f + W_PENDING + 4] = wf[f + W_PENDING + 4]! + brand;
    }
    if (id !== null) this.pushId(w, id);
  }

  /** Moves a counted mention between labels in a window (a correction). */
  adjust(w: number, neg: number, pos: number, sent: number): void {
    const f = w * WF;
    this.wf[f + W_NEG] = this.wf[f + W_NEG]! + neg;
    this.wf[f + W_POS] = this.wf[f + W_POS]! + pos;
    this.wf[f + W_SENT] = this.wf[f + W_SENT]! + sent;
  }

  /** Appends the mention ids linked to a window, in the order they came, to `out`. */
  ids(w: number, out: number[]): number[] {
    if (w === NONE) return out;
    for (let e = this.wi[w * WI + W_IDS_HEAD]!; e !== NONE; e = this.idNext[e]!) out.push(this.idVal[e]!);
    return out;
  }

  /**
   * Forgets the keys that have not opened a window since `before` (in steps), from the front of
   * the queue; those `keep` names go to the back instead, touched at `step`.
   */
  forgetIdle(before: number, step: number, keep: (key: string) => boolean): void {
    for (;;) {
      const k = this.qHead;
      if (k === NONE || this.kTouched[k]! >= before) return;
      const key = this.keyName[k]!;
      if (keep(key)) {
        this.kTouched[k] = step;
        this.toBack(k);
      } else this.deleteKey(k, key);
    }
  }

  /**
   * The rows pending since the last call, seven values each (see FlatCountRows), and no row
   * pending any more. With `write` false they are dropped (a batch that rolled back).
   */
  takePending(write = true): FlatCountRows {
    const out = write ? this.spilled : [];
    for (const w of this.pending) {
      const i = w * WI;
      if (this.wi[i + W_IS_PENDING] === 0) continue;
      this.wi[i + W_IS_PENDING] = 0;
      if (write) this.pushRow(out, w);
      this.wf.fill(0, w * WF + W_PENDING, w * WF + W_PENDING + 5);
    }
    this.pending = [];
    this.spilled = [];
    return out;
  }

  // --- internals ---

  private pushRow(out: FlatCountRows, w: number): void {
    const f = w * WF + W_PENDING;
    const wf = this.wf;
    out.push(wf[w * WF + W_BUCKET]!, this.keyName[this.wi[w * WI + W_KEY]!]!, wf[f]!, wf[f + 1]!, wf[f + 2]!, wf[f + 3]!, wf[f + 4]!);
  }

  private opened(k: number, fresh: number, step: number): void {
    this.kTouched[k] = step;
    this.toBack(k);
    const latest = this.wf[this.kHead[k]! * WF + W_BUCKET]!;
    let prev = NONE;
    let w = this.kHead[k]!;
    while (w !== NONE) {
      const next = this.wi[w * WI + W_NEXT]!;
      if (w !== fresh) {
        const b = this.wf[w * WF + W_BUCKET]!;
        if (b < latest - this.span) {
          if (prev === NONE) this.kHead[k] = next;
          else this.wi[prev * WI + W_NEXT] = next;
          this.freeWindow(w);
          w = next;
          continue;
        }
        if (b < latest - 1) this.freeIds(w);
      }
      prev = w;
      w = next;
    }
  }

  private pushId(w: number, id: number): void {
    let e = this.idFree;
    if (e !== NONE) this.idFree = this.idNext[e]!;
    else {
      if (this.idTop === this.idVal.length) {
        this.idVal = grow(this.idVal, this.idVal.length * 2);
        this.idNext = grow(this.idNext, this.idNext.length * 2);
      }
      e = this.idTop++;
    }
    this.idVal[e] = id;
    this.idNext[e] = NONE;
    const i = w * WI;
    const tail = this.wi[i + W_IDS_TAIL]!;
    if (tail === NONE) this.wi[i + W_IDS_HEAD] = e;
    else this.idNext[tail] = e;
    this.wi[i + W_IDS_TAIL] = e;
  }

  /** Gives a window's whole list of ids back to the arena at once. */
  private freeIds(w: number): void {
    const i = w * WI;
    const head = this.wi[i + W_IDS_HEAD]!;
    if (head === NONE) return;
    this.idNext[this.wi[i + W_IDS_TAIL]!] = this.idFree;
    this.idFree = head;
    this.wi[i + W_IDS_HEAD] = NONE;
    this.wi[i + W_IDS_TAIL] = NONE;
  }

  private newWindow(k: number, bucket: number): number {
    let w = this.wFree;
    if (w !== NONE) this.wFree = this.wi[w * WI + W_NEXT]!;
    else {
      if ((this.wTop + 1) * WF > this.wf.length) {
        this.wf = grow(this.wf, this.wf.length * 2);
        this.wi = grow(this.wi, this.wi.length * 2);
      }
      w = this.wTop++;
    }
    this.wf.fill(0, w * WF, (w + 1) * WF);
    this.wf[w * WF + W_BUCKET] = bucket;
    const i = w * WI;
    this.wi[i + W_KEY] = k;
    this.wi[i + W_NEXT] = NONE;
    this.wi[i + W_IDS_HEAD] = NONE;
    this.wi[i + W_IDS_TAIL] = NONE;
    this.wi[i + W_IS_PENDING] = 0;
    return w;
  }

  /** Frees a window (its pending row is kept for the batch's write). */
  private freeWindow(w: number): void {
    const i = w * WI;
    if (this.wi[i + W_IS_PENDING] === 1) {
      this.pushRow(this.spilled, w);
      this.wi[i + W_IS_PENDING] = 0;
    }
    this.freeIds(w);
    this.wi[i + W_NEXT] = this.wFree;
    this.wFree = w;
  }

  private newKey(key: string): number {
    let k = this.kFree.pop();
    if (k === undefined) {
      if (this.kTop === this.kHead.length) {
        const n = this.kHead.length * 2;
        this.kHead = grow(this.kHead, n);
        this.kTouched = grow(this.kTouched, n);
        this.kPrev = grow(this.kPrev, n);
        this.kNext = grow(this.kNext, n);
      }
      k = this.kTop++;
    }
    this.index.set(key, k);
    this.keyName[k] = key;
    this.kHead[k] = NONE;
    this.kPrev[k] = this.qTail;
    this.kNext[k] = NONE;
    if (this.qTail === NONE) this.qHead = k;
    else this.kNext[this.qTail] = k;
    this.qTail = k;
    return k;
  }

  private deleteKey(k: number, key: string): void {
    for (let w = this.kHead[k]!; w !== NONE; ) {
      const next = this.wi[w * WI + W_NEXT]!;
      this.freeWindow(w);
      w = next;
    }
    this.kHead[k] = NONE;
    this.unlink(k);
    this.index.delete(key);
    this.keyName[k] = undefined;
    this.kFree.push(k);
  }

  private unlink(k: number): void {
    const p = this.kPrev[k]!;
    const n = this.kNext[k]!;
    if (p === NONE) this.qHead = n;
    else this.kNext[p] = n;
    if (n === NONE) this.qTail = p;
    else this.kPrev[n] = p;
  }

  private toBack(k: number): void {
    if (this.qTail === k) return;
    this.unlink(k);
    this.kPrev[k] = this.qTail;
    this.kNext[k] = NONE;
    if (this.qTail === NONE) this.qHead = k;
    else this.kNext[this.qTail] = k;
    this.qTail = k;
  }
}

function grow<T extends Float64Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
