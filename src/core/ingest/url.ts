// Canonical URLs: one spelling per page, without the tracking parameters that make the
// same link look different (and that leak campaign data).

const TRACKING_EXACT = new Set([
  'fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid',
  '_hsenc', '_hsmi', 'ref_src', 'si',
]);

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || TRACKING_EXACT.has(n);
}

/**
 * Lowercase scheme and host, no default port, no credentials, no fragment, tracking parameters removed
 * (the rest kept in their order). Anything but http(s) or an unparsable URL → null.
 */
export function canonicalUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  // WHATWG URL already lowercases scheme and host and drops the scheme's default port.
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!u.hostname) return null;
  u.username = '';
  u.password = '';
  u.hash = '';
  if (u.search) {
    // Rebuild from the raw query so kept parameters keep their exact spelling and order.
    const kept = u.search
      .slice(1)
      .split('&')
      .filter((pair) => {
        if (pair === '') return false;
        const eq = pair.indexOf('=');
        const rawName = eq === -1 ? pair : pair.slice(0, eq);
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          /* keep the raw name */
        }
        return !isTrackingParam(name);
      });
    u.search = kept.length ? `?${kept.join('&')}` : '';
  }
  return u.toString();
}
