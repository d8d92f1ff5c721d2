// The one link policy (src/shared/links.ts): what may be a link, how its host reads, and the
// bidi isolation of outside text placed inside our own words.
import { describe, expect, it } from 'vitest';
import { isolate, linkField, safeHref, safeLink } from '../../src/shared/links';
import { describeZodError } from '../../src/shared/contract';
import { vetExternalUrl } from '../../src/main/window';
import { canonicalUrl } from '../../src/core/ingest/url';

describe('safeLink', () => {
  it('keeps http and https, normalized', () => {
    expect(safeHref('https://forum.example.it/t/1')).toBe('https://forum.example.it/t/1');
    expect(safeHref('http://Example.COM')).toBe('http://example.com/');
    expect(safeHref('  https://example.com/a?b=1#c  ')).toBe('https://example.com/a?b=1#c');
  });

  it('refuses every other scheme and anything unparsable', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'file:///C:/Windows',
      'vbscript:msgbox(1)',
      'ms-msdt:/id',
      'smb://server/share',
      'vedetta://internal',
      'not a url',
      '//example.com/x',
      '',
      `https://example.com/${'a'.repeat(5000)}`,
    ]) {
      expect(safeLink(bad), bad).toBeNull();
    }
    expect(safeLink(null)).toBeNull();
    expect(safeLink(undefined)).toBeNull();
  });

  it('strips credentials, so a link reads as where it goes', () => {
    expect(safeHref('https://user:pass@example.com/x')).toBe('https://example.com/x');
    const spoof = safeLink('https://www.brand.it@evil.example/login');
    expect(spoof?.href).toBe('https://evil.example/login');
    expect(spoof?.host).toBe('evil.example');
  });

  it('shows a Latin host as written and any other script in punycode, flagged', () => {
    expect(safeLink('https://caffè.it/menu')).toEqual({ href: 'https://xn--caff-8oa.it/menu', host: 'caffè.it', lookalike: false });
    expect(safeLink('https://www.example.com/')).toEqual({ href: 'https://www.example.com/', host: 'www.example.com', lookalike: false });
    // A Cyrillic "а" (U+0430) in place of the Latin "a".
    const fake = safeLink('https://\u0430pple.com/');
    expect(fake?.host).toBe('xn--pple-43d.com');
    expect(fake?.lookalike).toBe(true);
    // Greek omicron in a Latin name: mixed scripts.
    expect(safeLink('https://g\u03bfogle.com')?.lookalike).toBe(true);
    // Already in punycode: shown as is, still flagged (nothing to compare it with).
    expect(safeLink('https://xn--pple-43d.com/')?.lookalike).toBe(true);
  });
});

describe('linkField', () => {
  const field = linkField();
  it('stores the href of a safe link and refuses the rest with a message', () => {
    expect(field.parse('https://u:p@example.com/a')).toBe('https://example.com/a');
    const r = field.safeParse('javascript:alert(1)');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('schema.linkNeedHttp');
    expect(describeZodError(r.error!, 'it')).toEqual(['serve un indirizzo http(s) completo, come https://…']);
  });
});

describe('one policy everywhere', () => {
  it('the desktop shell opens only what the policy allows', () => {
    expect(vetExternalUrl('https://example.com/x')).toBe('https://example.com/x');
    expect(vetExternalUrl('https://user:pw@example.com/')).toBe('https://example.com/');
    expect(vetExternalUrl('file:///C:/Windows')).toBeNull();
  });
  it('canonical URLs carry no credentials', () => {
    expect(canonicalUrl('https://user:pw@example.com/a?utm_source=x')).toBe('https://example.com/a');
  });
});

describe('isolate', () => {
  it('wraps outside text in FSI…PDI and drops its own bidi controls', () => {
    const text = 'ok \u202Etxt.exe\u202C fine \u2067x';
    const out = isolate(text);
    expect(out.startsWith('\u2068')).toBe(true);
    expect(out.endsWith('\u2069')).toBe(true);
    expect(out.slice(1, -1)).toBe('ok txt.exe fine x');
    expect(/[\u202A-\u202E\u2066-\u2069]/.test(out.slice(1, -1))).toBe(false);
  });
});
