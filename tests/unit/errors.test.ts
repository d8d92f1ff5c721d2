// Errors are codes, text is a catalogue: every code has its Italian and English text with the
// same params; core throws codes (never hand-written sentences); an expired session is a code
// the client signs out on, audited like every refusal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/contract';
import { ERROR_CATALOGUES, ERROR_CODES, renderError, setErrorLanguage, type ErrorCode } from '../../src/shared/errors';
import { endsSession } from '../../src/renderer/features/session/session-end';
import { fails, testApp } from './support/core';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the error catalogue', () => {
  it('has an Italian and an English text for every code, with the same params', () => {
    for (const code of codes) {
      for (const lang of ['it', 'en'] as const) expect(ERROR_CATALOGUES[lang][code]?.trim(), `${lang}: ${code}`).toBeTruthy();
      expect(placeholders(ERROR_CATALOGUES.en[code]), code).toEqual(placeholders(ERROR_CATALOGUES.it[code]));
    }
    // No text left over for a code that no longer exists.
    for (const lang of ['it', 'en'] as const) expect(Object.keys(ERROR_CATALOGUES[lang]).sort()).toEqual([...codes].sort());
  });

  it('renders params, in the language asked, and sends Italian on the wire whatever the process speaks', () => {
    expect(renderError('users.usernameTaken', { username: 'anna' }, 'it')).toBe('Il nome utente «anna» è già in uso.');
    expect(renderError('users.usernameTaken', { username: 'anna' }, 'en')).toBe('The username “anna” is already taken.');
    setErrorLanguage('en');
    try {
      const e = new ApiError('mentions.notFound', { id: 7 });
      expect(e.message).toBe('Mention 7 not found: it may have been deleted.');
      expect(e.code).toBe('not_found');
      expect(e.toBody()).toEqual({ code: 'not_found', key: 'mentions.notFound', params: { id: 7 }, message: 'Menzione 7 non trovata: forse è stata eliminata.' });
      // A client re-words a received error in its own language; an unknown code keeps its text.
      expect(ApiError.fromBody(e.toBody()).message).toBe('Mention 7 not found: it may have been deleted.');
      const future = ApiError.fromBody({ code: 'conflict', key: 'future.code', message: 'Testo dal server' });
      expect([future.code, future.message]).toEqual(['conflict', 'Testo dal server']);
    } finally {
      setErrorLanguage('it');
    }
  });
});

/**
 * `new ApiError(kind, message)` in src/core: the legacy form, whose message is hand-written
 * text (or a library's) a person would read. Codes have a dot, kinds do not.
 */
function literalErrors(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...literalErrors(path));
      continue;
    }
    if (!name.endsWith('.ts')) continue;
    const text = readFileSync(path, 'utf8');
    const re = /new ApiError\(\s*'(invalid|not_found|conflict|unauthorized|forbidden|too_large|rate_limited|internal)'\s*,/g;
    for (const m of text.matchAll(re)) out.push(`${path}:${text.slice(0, m.index).split('\n').length} (${m[1]})`);
  }
  return out;
}

describe('core throws codes, not sentences', () => {
  // Files still carrying literal messages from before the catalogue (issue #15, being converted
  // feature by feature). The list may only shrink: a new literal anywhere fails here.
  const PENDING: Record<string, number> = {
    'src/core/metrics/service.ts': 16,
    'src/core/sources/service.ts': 15,
    'src/core/publishing/service.ts': 19,
  };

  it('has no new ApiError with a hand-written message in core', () => {
    const found = new Map<string, number>();
    for (const hit of literalErrors('src/core')) {
      const file = hit.slice(0, hit.indexOf(':'));
      found.set(file, (found.get(file) ?? 0) + 1);
    }
    for (const [file, n] of found) expect(n, `${file}: literal ApiError messages (use a code from src/shared/errors)`).toBeLessThanOrEqual(PENDING[file] ?? 0);
  });
});

describe('an expired session', { timeout: 30_000 }, () => {
  const ADMIN = { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' };

  it('is told apart from a missing one and from a wrong password, by code', async () => {
    const { app } = testApp();
    const grant = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string };
    const expired = await fails(app.dispatch('settings.get', {}, { session: 'a-token-nobody-knows' }));
    expect([expired.code, expired.key]).toEqual(['unauthorized', 'session.expired']);
    expect(expired.message).toMatch(/sessione è scaduta/);
    expect((await fails(app.dispatch('settings.get', {}, { session: null }))).key).toBe('session.required');
    const wrong = await fails(app.dispatch('auth.unlock', { password: 'sbagliata-davvero' }, { session: grant.token }));
    expect([wrong.code, wrong.key]).toEqual(['unauthorized', 'auth.wrongPassword']);
    // The client signs out on the first two only: a mistyped password keeps the session.
    expect(endsSession(expired)).toBe(true);
    expect(endsSession(wrong)).toBe(false);
    // The old rule matched /password/i in the text, which the expired message also contains.
    expect(expired.message).toMatch(/password/i);
  });

  it('a refused call is in the audit: who tried what, and why', async () => {
    const { app } = testApp();
    const admin = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string };
    await app.dispatch('users.create', { username: 'ale', displayName: 'Ale Analista', password: 'una-password-lunga', roles: ['analyst'] }, { session: admin.token });
    const analyst = (await app.dispatch('auth.signIn', { username: 'ale', password: 'una-password-lunga' }, { session: null })) as { token: string };
    expect((await fails(app.dispatch('settings.update', { locale: 'en' }, { session: analyst.token }))).key).toBe('access.forbidden');
    await fails(app.dispatch('sources.list', {}, { session: 'scaduto' }));
    const page = (await app.dispatch('audit.list', { filter: {}, limit: 50 }, { session: admin.token })) as { items: { actor: string; action: string; detail: string | null }[] };
    const refusals = page.items.filter((r) => r.detail?.includes('rifiutato'));
    expect(refusals.map((r) => [r.actor, r.action])).toEqual(expect.arrayContaining([['ale', 'settings.update'], ['anonimo', 'sources.list']]));
    expect(refusals.find((r) => r.action === 'settings.update')?.detail).toContain('access.forbidden');
    expect(refusals.find((r) => r.action === 'sources.list')?.detail).toContain('session.expired');
    expect(await app.dispatch('audit.verify', {}, { session: admin.token })).toMatchObject({ ok: true });
  });
});
