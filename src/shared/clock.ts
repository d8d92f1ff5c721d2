// The one rule about a mention's clock that every layer shares: a mention dated more than a
// day after it reached Vedetta comes from a wrong clock (the sender's, or a feed's time zone
// mistaken by a day), not from the future. It is stored and shown, with a warning, but it does
// not count in the moments nor move their stream clock: its time is not believable, and a
// flood of such items would otherwise sit in a window nobody has reached yet. Judged against
// the time it arrived (stored with it), never against the clock of whoever reads it later, so
// a rebuild next week treats it as live tracking did.

/** How far past its arrival a mention's published time may lie. */
export const FUTURE_DATED_MS = 24 * 3_600_000;

/** Whether a mention published at `publishedAt` (ms) and received at `receivedAt` (ms) is future-dated. */
export function isFutureDated(publishedAt: number, receivedAt: number): boolean {
  return publishedAt - receivedAt > FUTURE_DATED_MS;
}

/**
 * A day without any mention, or a mention more than a day behind the newest: the moments'
 * stream starts afresh after such a gap, and such a late mention is counted but judged in no
 * live moment (core/moments/steps.ts).
 */
export const CLOCK_GAP_MS = 24 * 3_600_000;
