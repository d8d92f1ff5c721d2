// One-time codes that open the browser UI. The per-run token must not travel on a command
// line (Chromium's arguments are visible to every local user in `ps`) nor be printed to a
// terminal's scrollback: what travels is a code that the page trades once, over POST, for the
// token. A code read from `ps` after Chromium started is already spent.
//
// Why not a cookie: cookies are not isolated by port (RFC 6265 §8.5), so a token cookie for
// 127.0.0.1 would be sent to every other local server the same browser visits. The token the
// page receives is kept in sessionStorage, which is scoped to scheme, host and port.
import { createHash, randomBytes } from 'node:crypto';

/** What a code opens for: the launcher's window, or a person opening the printed address. */
export const OPEN_CODE_TTL_MS = 10 * 60_000;
/** Unspent codes kept at most; the oldest is dropped first. Bounds memory against a loop. */
const MAX_LIVE_CODES = 32;

export class OpenCodes {
  // Keyed by a hash of the code, so the map holds nothing that would itself open the UI.
  readonly #live = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh code, valid once, until ttlMs from now. */
  mint(ttlMs: number = OPEN_CODE_TTL_MS): string {
    this.#sweep();
    while (this.#live.size >= MAX_LIVE_CODES) {
      const oldest = this.#live.keys().next().value;
      if (oldest === undefined) break;
      this.#live.delete(oldest);
    }
    const code = randomBytes(24).toString('base64url');
    this.#live.set(digest(code), this.now() + ttlMs);
    return code;
  }

  /** True once for a live code; false for an unknown, spent or expired one. */
  redeem(code: unknown): boolean {
    if (typeof code !== 'string' || code.length === 0 || code.length > 200) return false;
    const key = digest(code);
    const until = this.#live.get(key);
    if (until === undefined) return false;
    this.#live.delete(key);
    return this.now() <= until;
  }

  #sweep(): void {
    const t = this.now();
    for (const [k, until] of this.#live) if (until < t) this.#live.delete(k);
  }
}

function digest(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}
