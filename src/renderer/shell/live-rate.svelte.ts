// The top bar's live counters: mentions received in the last 60 s, and since the page opened.
const WINDOW_MS = 60_000;

export class LiveRate {
  perMinute = $state(0);
  sessionCount = $state(0);
  #arrivals: { t: number; n: number }[] = [];

  count(n: number): void {
    const t = Date.now();
    this.#arrivals.push({ t, n });
    this.sessionCount += n;
    this.trim(t);
  }

  /** Drops what left the window (called on arrivals and on the app's clock tick). */
  trim(t = Date.now()): void {
    while (this.#arrivals.length && this.#arrivals[0]!.t < t - WINDOW_MS) this.#arrivals.shift();
    this.perMinute = this.#arrivals.reduce((s, a) => s + a.n, 0);
  }
}
