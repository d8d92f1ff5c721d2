// Helpers shared by the scenario specs: times, text constructors, the usual source mix, rates.
import { MIN, SOURCES, type SourceDef } from '../stream';
import type { Text, TextGen } from '../texts';
import { brandHandle, type OwnedAccount } from '../workspace';

export const T = (iso: string): number => Date.parse(iso);
export const CRISIS_DELAY = 60_000;
/** Opportunities are not urgent (their minimum volume is 15 mentions a window): ten minutes. */
export const OPPORTUNITY_DELAY = 10 * MIN;
export const it = (text: string): Text => ({ text: text.replace(/\s+/g, ' ').trim(), lang: 'it' });
export const en = (text: string): Text => ({ text: text.replace(/\s+/g, ' ').trim(), lang: 'en' });
export const oneOf = (gens: readonly TextGen[]): TextGen => (r) => r.pick(gens)(r);

export function owned(brand: string, network: string): OwnedAccount {
  return { network, handle: brandHandle(brand) };
}

/** The usual mix of third-party sources plus, when given, comments under the brand's own posts. */
export function everyday(own?: SourceDef, ownWeight = 12): [number, SourceDef][] {
  const out: [number, SourceDef][] = [
    [22, SOURCES.x],
    [14, SOURCES.facebook],
    [10, SOURCES.reddit],
    [10, SOURCES.forum],
    [6, SOURCES.trustpilot],
    [8, SOURCES.tiktok],
  ];
  if (own) out.push([ownWeight, own]);
  return out;
}

/** A rate that rises linearly from `a` to `b` per hour over [from, to), zero outside. */
export const ramp = (from: number, to: number, a: number, b: number) => (t: number): number => (t < from || t >= to ? 0 : a + ((b - a) * (t - from)) / (to - from));
/** A burst: `peak` per hour reached after `rise`, then decaying with half-life `half`. */
export const surge = (from: number, to: number, peak: number, rise: number, half: number) => (t: number): number => {
  if (t < from || t >= to) return 0;
  const dt = t - from;
  return dt < rise ? peak * Math.max(0.25, dt / rise) : peak * Math.pow(0.5, (dt - rise) / half);
};
