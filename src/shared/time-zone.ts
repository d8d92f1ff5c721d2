// The workspace's time zone: every time on screen is shown in it (Europe/Rome unless an
// administrator chose another). Only IANA names ("Europe/Rome", "America/New_York", "UTC"):
// an offset like "+01:00" ignores summer time, which is exactly what people get wrong.
import { z } from 'zod';

export const DEFAULT_TIME_ZONE = 'Europe/Rome';

const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** The zone's canonical spelling ("europe/rome" → "Europe/Rome"), or null when it is not an IANA zone. */
export function canonicalTimeZone(name: string): string | null {
  const n = name.trim();
  if (!IANA_SHAPE.test(n)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: n }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A zone as typed by a person: must be one the platform knows by its IANA name. */
export const TimeZoneSchema = z.string().max(64).refine((s) => canonicalTimeZone(s) !== null, 'schema.timeZoneInvalid');
