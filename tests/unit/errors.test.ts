// Errors are codes, text is a catalogue: every code has its Italian and English text with the
// same params; core, server, CLI and main throw codes (never hand-written sentences, checked
// by reading the sources); an expired session is a code the client signs out on, audited
// like every refusal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, ApiErrorSchema } from '../../src/shared/contract';
import { errorText } from '../../src/cli/io';
import { ownedCallError } from '../../src/renderer/features/perimeters/owned-logic';
import { toFormError } from '../../src/renderer/features/sources/sources-form';
import { createIpcBridge } from '../../src/preload/ipc-client';
import { unwrapResult } from '../../src/shared/transport/bridge-client';
import { ERROR_CATALOGUES, ERROR_CODES, ERROR_KINDS_LIST, renderError, renderText, setErrorLanguage, term, terms, TERMS, TEXTS, type ErrorCode, type TextCode } from '../../src/shared/errors';
import { RISK_TEXT } from '../../src/shared/risk-text';
import { endsSession } from '../../src/renderer/features/session/session-end';
import { fails, testApp } from './support/core';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+(?::\w+)?)\}/g)].map((m) => m[1]!).sort();

describe('the error catalogue', () => {
  it('has an Italian and an English text for every code, with the same params', () => {
    for (const code of codes) {
      for (const lang of ['it', 'en'] as const) expect(ERROR_CATALOGUES[lang][code]?.trim(), `${lang}: ${code}`).toBeTruthy();
      expect(placeholders(ERROR_CATALOGUES.en[code]), code).toEqual(placeholders(ERROR_CATALOGUES.it[code]));
    }
    // No text left over for a code that no longer exists.
    for (const lang of ['it', 'en'] as const) expect(Object.keys(ERROR_CATALOGUES[lang]).sort()).toEqual([...codes].sort());
    // Only the modifiers renderError knows.
    for (const code of codes) for (const p of placeholders(ERROR_CATALOGUES.it[code])) expect(p, code).toMatch(/^\w+(:(term|terms|code))?$/);
  });

  it('has an Italian and an English text for every text that is not an error, with the same params', () => {
    const textCodes = Object.keys(TEXTS.it) as TextCode[];
    expect(Object.keys(TEXTS.en).sort()).toEqual([...textCodes].sort());
    for (const code of textCodes) {
      for (const lang of ['it', 'en'] as const) expect(TEXTS[lang][code].trim(), `${lang}: ${code}`).toBeTruthy();
      expect(placeholders(TEXTS.en[code]), code).toEqual(placeholders(TEXTS.it[code]));
      for (const p of placeholders(TEXTS.it[code])) expect(p, code).toMatch(/^\w+(:(term|terms|code))?$/);
      // One name space: a text code never shadows an error code.
      expect(ERROR_CODES, code).not.toHaveProperty([code]);
    }
    const head = { severity: term('severity.critical'), rule: 'Calo visioni' };
    expect(renderText('notify.alertEscalated', head, 'it')).toBe('SLA scaduto — allerta critica: Calo visioni');
    expect(renderText('notify.alertEscalated', head, 'en')).toBe('SLA expired — alert (critical): Calo visioni');
  });

  it('has both languages of every word an error names, and of the risk line', () => {
    expect(Object.keys(TERMS.en).sort()).toEqual(Object.keys(TERMS.it).sort());
    for (const lang of ['it', 'en'] as const) for (const [k, v] of Object.entries(TERMS[lang])) expect(v.trim(), `${lang}: ${k}`).toBeTruthy();
    expect(Object.keys(RISK_TEXT.en).sort()).toEqual(Object.keys(RISK_TEXT.it).sort());
    for (const k of Object.keys(RISK_TEXT.it) as (keyof typeof RISK_TEXT.it)[]) expect(placeholders(RISK_TEXT.en[k]), k).toEqual(placeholders(RISK_TEXT.it[k]));
  });

  it('words states, steps and roles, lists, and a nested code, in the language asked', () => {
    const params = { step: term('step.legal'), role: term('role.legal') };
    expect(renderError('responses.stepRole', params, 'it')).toBe('La revisione legale spetta al ruolo legale: tu non hai questo ruolo.');
    expect(renderError('responses.stepRole', params, 'en')).toBe('The legal review belongs to the legal role: you do not have this role.');
    const missing = { missing: terms(['step.legal', 'step.owner']) };
    expect(renderError('responses.notApproved', missing, 'en')).toBe('Cannot publish: the response is not approved (missing: legal review, owner approval).');
    expect(renderError('responses.notEditable', { state: term('responseState.draft') }, 'en')).toBe('The response is a draft: it can no longer be edited.');
    const query = { reason: 'query.unclosedParen', col: 11 };
    expect(renderError('perimeters.badQuery', query, 'it')).toBe('Query non valida: parentesi non chiusa alla colonna 11');
    expect(renderError('perimeters.badQuery', query, 'en')).toBe('Invalid query: unclosed parenthesis at column 11');
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

/** An error as another process receives it: through JSON and the contract's schema, worded in `lang`. */
function received(e: ApiError, lang: 'it' | 'en'): ApiError {
  const body = ApiErrorSchema.parse(JSON.parse(JSON.stringify(e.toBody())));
  setErrorLanguage(lang);
  try {
    return ApiError.fromBody(body);
  } finally {
    setErrorLanguage('it');
  }
}

/** What a viewer in `lang` reads: its details worded while the process speaks that language. */
function seenIn<T>(lang: 'it' | 'en', read: () => T): T {
  setErrorLanguage(lang);
  try {
    return read();
  } finally {
    setErrorLanguage('it');
  }
}

describe("an error's details are codes too", { timeout: 30_000 }, () => {
  it('an invalid request reads in English to an English client and in Italian to an Italian one; the wire keeps the Italian line', async () => {
    const { app } = testApp();
    const err = await fails(app.dispatch('moments.settingsUpdate', { bucketMinutes: 0 }));
    expect(err.key).toBe('request.invalid');
    const [detail] = err.toBody().details ?? [];
    expect(detail).toEqual({ text: 'bucketMinutes: almeno 1 minuto', path: 'bucketMinutes', key: 'schema.atLeastOneMinute', params: { min: '1' } });
    const en = received(err, 'en');
    expect(seenIn('en', () => [en.message, ...en.detailLines()])).toEqual(['Invalid request: check the fields listed.', 'bucketMinutes: at least 1 minute']);
    const italian = received(err, 'it');
    expect(seenIn('it', () => [italian.message, ...italian.detailLines()])).toEqual(['Richiesta non valida: controlla i campi indicati.', 'bucketMinutes: almeno 1 minuto']);
    // Where people read them: the CLI, a form's list, a field's reason.
    expect(errorText(en, 'en')).toContain('\n  - bucketMinutes: at least 1 minute\n');
    expect(seenIn('en', () => toFormError(en).details)).toEqual(['bucketMinutes: at least 1 minute']);
    expect(seenIn('en', () => ownedCallError(en))).toBe('At least 1 minute');
    expect(seenIn('it', () => ownedCallError(italian))).toBe('Almeno 1 minuto');
    // zod's own kinds of issue (here a number that is not one) are codes too, not Italian lines.
    const typed = await fails(app.dispatch('moments.settingsUpdate', { bucketMinutes: 'cinque' } as never));
    expect(typed.toBody().details?.[0]).toMatchObject({ path: 'bucketMinutes', key: 'zod.required' });
    expect(received(typed, 'en').detailLines('en')).toEqual(['bucketMinutes: required']);
  });

  it("a perimeter's broken query gives its position and column in either language", async () => {
    const { app } = testApp();
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    const err = await fails(app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Rotto', query: 'muffa NEAR/ capsule', swot: 'threat' }));
    expect(err.toBody().details?.map((d) => (typeof d === 'string' ? d : d.text))).toEqual(['posizione 6', 'colonna 7']);
    const en = received(err, 'en');
    expect(seenIn('en', () => [en.message, ...en.detailLines()])).toEqual(['Invalid query: NEAR/ needs a number (e.g. NEAR/3) at column 7', 'position 6', 'column 7']);
    expect(received(err, 'it').detailLines('it')).toEqual(['posizione 6', 'colonna 7']);
  });

  it("the preload's own failure is a code the renderer words in its language", async () => {
    const ipc = { invoke: () => Promise.reject(new Error('No handler registered')), on: () => undefined, removeListener: () => undefined };
    const res = await createIpcBridge(ipc).invoke('settings.get', {});
    const said = (lang: 'it' | 'en'): string =>
      seenIn(lang, () => {
        try {
          unwrapResult(res);
          return 'no error';
        } catch (e) {
          return e instanceof ApiError ? `${e.key}: ${e.message}` : String(e);
        }
      });
    expect(said('en')).toBe('transport.noMain: The main process did not answer.');
    expect(said('it')).toBe('transport.noMain: Il processo principale non ha risposto.');
  });

  it('a body written before details had codes still parses, its lines shown as they came', () => {
    const old = ApiErrorSchema.parse({ code: 'invalid', key: 'request.invalid', message: 'Richiesta non valida: controlla i campi indicati.', details: ['theme: valore non ammesso'] });
    const e = ApiError.fromBody(old);
    expect(e.details).toEqual([{ text: 'theme: valore non ammesso', key: 'remote', params: { message: 'theme: valore non ammesso' } }]);
    expect(e.detailLines('en')).toEqual(['theme: valore non ammesso']);
    // A code this client does not know yet: the Italian text sent along.
    const future = ApiError.fromBody({ code: 'invalid', message: 'x', details: [{ text: 'campo: nuovo motivo', path: 'campo', key: 'future.reason' }] });
    expect(future.detailLines('en')).toEqual(['campo: nuovo motivo']);
  });
});

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/**
 * An error constructed with a string or template literal as its first argument: the text of
 * that literal. Codes have a dot and no spaces; anything else is a sentence.
 */
function thrownLiterals(file: string): { line: number; cls: string; text: string }[] {
  const text = readFileSync(file, 'utf8');
  const out: { line: number; cls: string; text: string }[] = [];
  const re = /new (\w*Error)\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g;
  for (const m of text.matchAll(re)) out.push({ line: lineOf(text, m.index), cls: m[1]!, text: m[2] ?? m[3] ?? m[4] ?? '' });
  return out;
}

/** Italian prose: an accented letter or one of its commonest small words. */
const ITALIAN = /[àèéìòùÀÈÉÌÒÙ’]|\b(non|il|lo|gli|della|delle|dei|del|una|uno|nessun|nessuna|alla|dal|nel|sono|manca|questa|questo|deve|serve)\b/i;
const KINDS = new Set<string>(ERROR_KINDS_LIST);
// Where people's errors are made: core, the connectors (a source's or a channel's failure is
// shown in its health and the outbox), and the adapters and commands that speak to people.
const FOLDERS = ['src/core', 'src/connectors', 'src/server', 'src/cli', 'src/main'];

/**
 * Data, not words to people: language-detection and sentiment word lists, stop words, the
 * demo's content and seed rows, the HTML entity table. (core/moments is data plus a service
 * another change is splitting; its texts are ApiError codes, checked above.)
 */
const DATA = [
  join('src', 'core', 'analysis', 'lang.ts'),
  join('src', 'core', 'analysis', 'lexicon.ts'),
  join('src', 'core', 'analysis', 'sentiment-rules.ts'),
  join('src', 'core', 'analysis', 'tokenize.ts'),
  join('src', 'core', 'analysis', 'model'),
  join('src', 'core', 'analysis', 'layer-trainer.ts'),
  join('src', 'core', 'moments'),
  join('src', 'core', 'store', 'migrations'),
  join('src', 'core', 'perimeters', 'demo-seed.ts'),
  join('src', 'core', 'metrics', 'demo.ts'),
  join('src', 'app', 'demo-workspace.ts'),
  join('src', 'core', 'ingest', 'text.ts'),
];
/** The catalogues themselves: every text a person reads, in both languages. */
const CATALOGUES = [join('src', 'shared', 'errors'), join('src', 'shared', 'risk-text.ts'), join('src', 'renderer', 'i18n')];
const LOG_LINE = /logger\b|\.(warn|info|debug)\(|\blog\.(error|warn)\b/i;
/**
 * Where English prose in a literal would reach a person: a message, a reason, a printed line,
 * a returned text. (An internal error's short English note is allowed, as above.)
 */
const USER_VISIBLE = /\b(message|reason|error|hint|detail|title|body)\s*:|\bio\.(out|err)\(|\breturn\s+['"`]|\b(lines|parts)\.push\(|\bsendText\(/;
const ENGLISH = /\b(the|is|are|not|cannot|failed|invalid|missing|unknown|please|must|should|was|were)\b/i;
const words = (s: string): number => s.trim().split(/\s+/).length;
const ITALIAN_PROSE = (s: string): boolean => words(s) >= 2 && ITALIAN.test(s);
const ENGLISH_PROSE = (s: string): boolean => words(s) >= 2 && /[a-z]{2}/i.test(s) && ENGLISH.test(s);
const isSql = (s: string): boolean => /\b(SELECT|CASE WHEN|INSERT|UPDATE|FROM)\b/.test(s);

/** The string and template literals of a line, interpolations blanked, and the literals inside those interpolations. */
function literalsOf(line: string): string[] {
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
  return [...line.matchAll(re)].flatMap((m) => {
    const lit = m[1] ?? m[2] ?? m[3] ?? '';
    const inner = m[3] === undefined ? [] : [...lit.matchAll(/\$\{([^}]*)\}/g)].flatMap((i) => literalsOf(i[1]!));
    return [lit.replace(/\$\{[^}]*\}/g, ' '), ...inner];
  });
}

describe('errors are codes, never sentences', () => {
  it('no error in core, server, CLI or main is built from a hand-written user-visible sentence', () => {
    const offenders: string[] = [];
    for (const file of FOLDERS.flatMap(sources)) {
      for (const { line, cls, text } of thrownLiterals(file)) {
        // The legacy form `new ApiError(kind, message)`, or a sentence a person would read.
        if (KINDS.has(text) && text !== 'internal') offenders.push(`${file}:${line} ${cls}('${text}', …): a kind, not a code`);
        else if (ITALIAN.test(text)) offenders.push(`${file}:${line} ${cls}: "${text.slice(0, 60)}"`);
      }
    }
    expect(offenders, 'use a code from src/shared/errors (internal invariants: a short English note)').toEqual([]);
  });

  it('every code an error is built with exists, and every code of the catalogue is used', () => {
    const used = new Set<string>();
    // Not the catalogue itself, which names them all.
    for (const file of sources('src').filter((f) => !f.startsWith(join('src', 'shared', 'errors')))) {
      const text = readFileSync(file, 'utf8');
      // A code is quoted where it is thrown, named in a type, or in a term of a template.
      for (const m of text.matchAll(/['`]([a-z]+\.[a-zA-Z0-9.]+|internal|remote)['`]/g)) used.add(m[1]!);
    }
    for (const file of FOLDERS.flatMap(sources)) {
      for (const { line, cls, text } of thrownLiterals(file)) {
        // An ApiError's code is an error's; another error class (a feed's) may say a text of the catalogue.
        if (/^[a-z]+\.[a-zA-Z0-9]+$/.test(text)) expect(cls === 'ApiError' ? ERROR_CODES : { ...ERROR_CODES, ...TEXTS.it }, `${file}:${line} ${cls}('${text}')`).toHaveProperty([text]);
      }
    }
    const unused = [...codes, ...Object.keys(TEXTS.it)].filter((c) => !used.has(c));
    expect(unused).toEqual([]);
  });

  it('no sentence a person reads is written in the code of core, connectors, CLI, server, main, app, shared, renderer or preload (outside the catalogues)', () => {
    const offenders: string[] = [];
    for (const file of [...FOLDERS, 'src/app', 'src/shared', 'src/renderer', 'src/preload'].flatMap(sources)) {
      if ([...DATA, ...CATALOGUES].some((d) => file === d || file.startsWith(`${d}${sep}`))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          // Comments, and log lines (read by whoever runs the process, not shown in the app).
          if (/^\s*(\/\/|\*|\/\*)/.test(text) || LOG_LINE.test(text)) return;
          for (const lit of literalsOf(text.replace(/\s\/\/ .*$/, ''))) {
            if (isSql(lit)) continue;
            if (ITALIAN_PROSE(lit) || (USER_VISIBLE.test(text) && ENGLISH_PROSE(lit))) offenders.push(`${file}:${i + 1} "${lit.slice(0, 70)}"`);
          }
        });
    }
    expect(offenders, 'put the text in src/shared/errors (texts*.ts) with its Italian and English wording').toEqual([]);
  });

  it('the legacy constructor is gone: an ApiError is always a code', () => {
    const e = new ApiError('sources.notFound', { id: 3 });
    expect([e.key, e.code, e.message]).toEqual(['sources.notFound', 'not_found', 'Fonte 3 non trovata: forse è stata eliminata.']);
    // Typecheck fails on the old form: a kind and a sentence are no longer an ApiError.
    // @ts-expect-error 'invalid' is a kind, not a code, and a sentence is not params.
    const legacy = (): ApiError => new ApiError('invalid', 'Testo scritto a mano');
    expect(typeof legacy).toBe('function');
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
