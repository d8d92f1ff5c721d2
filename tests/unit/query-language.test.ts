// The perimeter query language: parser, errors with position, matcher and spans, plus
// property tests (print/reparse, case/accent invariance, NOT a AND a, garbage never crashes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  parseQuery,
  prepareDoc,
  printQuery,
  QueryError,
  tokenize,
  type MatchDocInput,
  type QueryNode,
} from '../../src/core/analysis/query';

function matches(q: string, doc: MatchDocInput | string): boolean {
  const d = typeof doc === 'string' ? { text: doc } : doc;
  return compileQuery(q).match(prepareDoc(d)) !== null;
}

function spansOf(q: string, doc: MatchDocInput | string): string[] {
  const d = typeof doc === 'string' ? { text: doc } : doc;
  const m = compileQuery(q).match(prepareDoc(d));
  if (!m) return [];
  return m.spans.map((s) => (s.field === 'title' ? d.title ?? '' : d.text).slice(s.start, s.end));
}

function errorOf(q: string): QueryError {
  try {
    parseQuery(q);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`expected a QueryError for ${q}`);
}

describe('parser', () => {
  it('reads terms, phrases, prefixes, operators and groups', () => {
    expect(parseQuery('aurora')).toEqual({ type: 'term', value: 'aurora', prefix: false });
    expect(parseQuery('caff*')).toEqual({ type: 'term', value: 'caff', prefix: true });
    expect(parseQuery('"aurora crema"')).toEqual({ type: 'phrase', words: ['aurora', 'crema'] });
    expect(parseQuery('a OR b c')).toEqual({
      type: 'or',
      children: [
        { type: 'term', value: 'a', prefix: false },
        { type: 'and', children: [{ type: 'term', value: 'b', prefix: false }, { type: 'term', value: 'c', prefix: false }] },
      ],
    });
    expect(parseQuery('(a OR b) AND NOT c')).toEqual({
      type: 'and',
      children: [
        { type: 'or', children: [{ type: 'term', value: 'a', prefix: false }, { type: 'term', value: 'b', prefix: false }] },
        { type: 'not', child: { type: 'term', value: 'c', prefix: false } },
      ],
    });
    expect(parseQuery('aurora -decaffeinato')).toEqual({
      type: 'and',
      children: [{ type: 'term', value: 'aurora', prefix: false }, { type: 'not', child: { type: 'term', value: 'decaffeinato', prefix: false } }],
    });
    expect(parseQuery('muffa NEAR/3 capsule')).toEqual({
      type: 'near',
      distance: 3,
      left: { type: 'term', value: 'muffa', prefix: false },
      right: { type: 'term', value: 'capsule', prefix: false },
    });
  });

  it('folds case and accents, and splits words the way text is split', () => {
    expect(parseQuery('PERCHÉ')).toEqual({ type: 'term', value: 'perche', prefix: false });
    expect(parseQuery("l'aurora")).toEqual({ type: 'phrase', words: ['l', 'aurora'] });
    expect(parseQuery('e-commerce')).toEqual({ type: 'phrase', words: ['e', 'commerce'] });
    expect(parseQuery('"Caffè"')).toEqual({ type: 'term', value: 'caffe', prefix: false });
  });

  it('reads hashtags, handles and field filters', () => {
    expect(parseQuery('#BoicottaAurora')).toEqual({ type: 'hashtag', value: 'boicottaaurora' });
    expect(parseQuery('@caffeaurora')).toEqual({ type: 'handle', value: 'caffeaurora' });
    expect(parseQuery('lang:IT')).toEqual({ type: 'field', field: 'lang', value: 'it' });
    expect(parseQuery('source:"Forum CaffèItalia"')).toEqual({ type: 'field', field: 'source', value: 'forum caffeitalia' });
    expect(parseQuery('site:gazzettino.example')).toEqual({ type: 'field', field: 'site', value: 'gazzettino.example' });
    expect(parseQuery('author:3f9a2c1b0d4e5f67')).toEqual({ type: 'field', field: 'author', value: '3f9a2c1b0d4e5f67' });
  });

  it('treats lowercase operators as words', () => {
    expect(parseQuery('rock and roll')).toEqual({
      type: 'and',
      children: ['rock', 'and', 'roll'].map((value) => ({ type: 'term', value, prefix: false })),
    });
  });

  it('says where and why, in Italian', () => {
    const e1 = errorOf('aurora AND (muffa OR capsule');
    expect(e1.message).toBe('parentesi non chiusa alla colonna 12');
    expect(e1.position).toBe(11);
    expect(e1.column).toBe(12);
    expect(errorOf('muffa NEAR/ capsule').message).toMatch(/^NEAR\/ vuole un numero .*colonna 7$/);
    expect(errorOf('muffa NEAR/x capsule').position).toBe(6);
    expect(errorOf('aurora)').message).toBe('parentesi chiusa senza una aperta alla colonna 7');
    expect(errorOf('"aurora crema').message).toBe('virgolette non chiuse alla colonna 1');
    expect(errorOf('aurora AND').message).toBe('AND senza un termine a destra alla colonna 8');
    expect(errorOf('OR aurora').message).toBe('OR senza un termine a sinistra alla colonna 1');
    expect(errorOf('aurora NOT').message).toBe('NOT senza un termine a destra alla colonna 8');
    expect(errorOf('colour:red').message).toMatch(/^campo sconosciuto "colour:" alla colonna 1/);
    expect(errorOf('lang:italiano').message).toMatch(/lang: vuole un codice lingua/);
    expect(errorOf('lang:').message).toMatch(/il campo lang: vuole un valore/);
    expect(errorOf('ca*ffe').message).toMatch(/\* va solo alla fine/);
    expect(errorOf('ca*ffe').position).toBe(2);
    expect(errorOf('c*').message).toMatch(/almeno 2 lettere/);
    expect(errorOf('').message).toMatch(/vuota/);
    expect(errorOf('   ').message).toMatch(/vuota/);
    expect(errorOf('()').message).toMatch(/parentesi vuote alla colonna 1/);
    expect(errorOf('""').message).toMatch(/frase vuota/);
    expect(errorOf('a NEAR/2 b NEAR/2 c').message).toMatch(/non si può concatenare/);
    expect(errorOf('(a b) NEAR/2 c').message).toMatch(/NEAR\/ unisce solo parole o frasi/);
    expect(errorOf('a NEAR/0 b').message).toMatch(/fra 1 e/);
    expect(errorOf('#').message).toMatch(/# vuole una parola/);
    expect(errorOf('x'.repeat(5000)).message).toMatch(/troppo lunga/);
    expect(errorOf('('.repeat(200) + 'a' + ')'.repeat(200)).message).toMatch(/troppo annidata/);
  });
});

describe('matcher', () => {
  it('matches words regardless of case and accents', () => {
    expect(matches('perché', 'Ma PERCHE non risponde nessuno?')).toBe(true);
    expect(matches('perche', 'Perché?')).toBe(true);
    expect(matches('caffe', 'Caffè Aurora')).toBe(true);
    expect(matches('aurora', 'Borealis')).toBe(false);
  });

  it('finds words inside Italian elisions', () => {
    expect(matches('aurora', "Il barista dell'Aurora è un mito")).toBe(true);
    expect(matches('aurora', 'Il barista dell’Aurora è un mito')).toBe(true);
    expect(spansOf('aurora', "dell'Aurora")).toEqual(['Aurora']);
    expect(matches("l'aurora", "Amo l'Aurora")).toBe(true);
    expect(matches("l'aurora", 'Amo Aurora')).toBe(false);
  });

  it('applies phrases, prefixes, AND/OR/NOT and exclusions', () => {
    const t = 'Muffa nelle capsule Aurora Crema, che schifo';
    expect(matches('"aurora crema"', t)).toBe(true);
    expect(matches('"crema aurora"', t)).toBe(false);
    expect(matches('caps*', t)).toBe(true);
    expect(matches('muffa AND capsule', t)).toBe(true);
    expect(matches('muffa capsule', t)).toBe(true);
    expect(matches('muffa AND fredda', t)).toBe(false);
    expect(matches('fredda OR crema', t)).toBe(true);
    expect(matches('aurora -schifo', t)).toBe(false);
    expect(matches('aurora NOT fredda', t)).toBe(true);
    expect(matches('(fredda OR crema) AND NOT (borealis OR meridiana)', t)).toBe(true);
  });

  it('measures NEAR/n in words between, in either order', () => {
    const t = 'la muffa nelle mie capsule nuove';
    expect(matches('muffa NEAR/2 capsule', t)).toBe(true);
    expect(matches('muffa NEAR/1 capsule', t)).toBe(false);
    expect(matches('capsule NEAR/2 muffa', t)).toBe(true);
    expect(matches('"la muffa" NEAR/3 nuove', t)).toBe(true);
    expect(spansOf('muffa NEAR/2 capsule', t)).toEqual(['muffa', 'capsule']);
  });

  it('tells hashtags and handles from plain words', () => {
    const t = 'Vergogna! #boicottaAurora @CaffeAurora rispondete';
    expect(matches('#boicottaaurora', t)).toBe(true);
    expect(matches('boicottaaurora', t)).toBe(true);
    expect(matches('#caffeaurora', t)).toBe(false);
    expect(matches('@caffeaurora', t)).toBe(true);
    expect(matches('#vergogna', t)).toBe(false);
    expect(matches('@example', 'scrivi a mario@example.com')).toBe(false);
    expect(spansOf('#boicottaaurora', t)).toEqual(['#boicottaAurora']);
  });

  it('filters by language, source, site and author', () => {
    const d: MatchDocInput = {
      text: 'Aurora Fredda is great',
      lang: 'en',
      source: 'Reddit r/Coffee',
      sourceKind: 'replay',
      url: 'https://www.reddit.example/r/coffee/1',
      authorKey: 'abcdef0123456789',
      authorKeyFor: (name) => (name === 'mario' ? 'abcdef0123456789' : null),
    };
    expect(matches('aurora lang:en', d)).toBe(true);
    expect(matches('aurora lang:it', d)).toBe(false);
    expect(matches('source:reddit', d)).toBe(true);
    expect(matches('source:"r/coffee"', d)).toBe(true);
    expect(matches('source:replay', d)).toBe(true);
    expect(matches('source:trustpilot', d)).toBe(false);
    expect(matches('site:reddit.example', d)).toBe(true);
    expect(matches('site:example', d)).toBe(true);
    expect(matches('site:dit.example', d)).toBe(false);
    expect(matches('author:abcdef0123456789', d)).toBe(true);
    expect(matches('author:mario', d)).toBe(true);
    expect(matches('author:luigi', d)).toBe(false);
    expect(matches('aurora -source:reddit', d)).toBe(false);
  });

  it('matches in the title too and reports where', () => {
    const d = { title: 'Capsule Aurora Crema, segnalazioni di muffa', text: 'La protesta cresce.' };
    const m = compileQuery('muffa OR protesta').match(prepareDoc(d));
    expect(m?.spans).toEqual([
      { field: 'title', start: 38, end: 43 },
      { field: 'text', start: 3, end: 11 },
    ]);
  });

  it('gives no spans for what is excluded and drops spans of failed branches', () => {
    expect(spansOf('aurora -borealis', 'Aurora e non Borealis')).toEqual([]);
    expect(spansOf('aurora NOT borealis', 'Aurora sì')).toEqual(['Aurora']);
    expect(spansOf('(aurora AND fredda) OR crema', 'Aurora Crema')).toEqual(['Crema']);
  });

  it('survives hostile texts', () => {
    expect(matches('aurora', '')).toBe(false);
    expect(matches('aurora', '😡😡😡')).toBe(false);
    expect(matches('aurora', `${'parola '.repeat(15_000)}aurora`)).toBe(true);
    expect(matches('script', '<script>alert(1)</script>')).toBe(true);
  });
});

// --- properties ---

const LETTERS = ['a', 'e', 'i', 'o', 'u', 'r', 'c', 'f', 'à', 'è', 'é', 'ì', 'ò', 'ù'];
const wordArb = fc
  .array(fc.constantFrom(...LETTERS), { minLength: 2, maxLength: 6 })
  .map((cs) => cs.join(''))
  .map((w) => w.normalize('NFD').replace(/\p{M}+/gu, ''));

const leafArb: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.record({ type: fc.constant('term' as const), value: wordArb, prefix: fc.boolean() }),
  fc.record({ type: fc.constant('phrase' as const), words: fc.array(wordArb, { minLength: 2, maxLength: 3 }) }),
  fc.record({ type: fc.constant('hashtag' as const), value: wordArb }),
  fc.record({ type: fc.constant('handle' as const), value: wordArb }),
  fc.record({ type: fc.constant('field' as const), field: fc.constant('lang' as const), value: fc.constantFrom('it', 'en') }),
  fc.record({ type: fc.constant('field' as const), field: fc.constantFrom('source' as const, 'site' as const), value: fc.constantFrom('reddit', 'forum caffe', 'x.example') }),
);

const nearArb: fc.Arbitrary<QueryNode> = fc.record({
  type: fc.constant('near' as const),
  distance: fc.integer({ min: 1, max: 10 }),
  left: fc.record({ type: fc.constant('term' as const), value: wordArb, prefix: fc.constant(false) }),
  right: fc.record({ type: fc.constant('phrase' as const), words: fc.array(wordArb, { minLength: 2, maxLength: 2 }) }),
});

const { node: astArb } = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    nearArb,
    fc.record({ type: fc.constant('not' as const), child: tie('node') }),
    fc.record({ type: fc.constant('and' as const), children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ type: fc.constant('or' as const), children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
  ),
}));

/** The parser flattens nested AND/OR: compare trees in that normal form. */
function normal(n: QueryNode): QueryNode {
  switch (n.type) {
    case 'and':
    case 'or': {
      const out: QueryNode[] = [];
      for (const c of n.children.map(normal)) {
        if (c.type === n.type) out.push(...c.children);
        else out.push(c);
      }
      return { type: n.type, children: out };
    }
    case 'not':
      return { type: 'not', child: normal(n.child) };
    case 'term':
    case 'phrase':
    case 'hashtag':
    case 'handle':
    case 'field':
    case 'near':
      return n;
  }
}

const textArb = fc
  .array(fc.oneof(wordArb, fc.constantFrom('#', '@', "'", ' ', ', ', '! ')), { maxLength: 30 })
  .map((parts) => parts.join(' '));

function mapValues(n: QueryNode, f: (v: string) => string): QueryNode {
  switch (n.type) {
    case 'term':
    case 'hashtag':
    case 'handle':
    case 'field':
      return { ...n, value: f(n.value) };
    case 'phrase':
      return { ...n, words: n.words.map(f) };
    case 'near':
      return { ...n, left: mapValues(n.left, f) as typeof n.left, right: mapValues(n.right, f) as typeof n.right };
    case 'not':
      return { type: 'not', child: mapValues(n.child, f) };
    case 'and':
    case 'or':
      return { type: n.type, children: n.children.map((c) => mapValues(c, f)) };
  }
}

const ACCENTED: Record<string, string> = { a: 'à', e: 'é', i: 'ì', o: 'ò', u: 'ù' };
const accentify = (s: string): string => s.replace(/[aeiou]/g, (c) => ACCENTED[c] ?? c);

describe('properties', () => {
  it('printing a tree and parsing it back gives the same tree', () => {
    fc.assert(
      fc.property(astArb, (ast) => {
        const printed = printQuery(ast);
        expect(parseQuery(printed)).toEqual(normal(ast));
      }),
      { numRuns: 400 },
    );
  });

  it('matching does not depend on case or accents', () => {
    fc.assert(
      fc.property(astArb, textArb, (ast, text) => {
        const q = compileQuery(printQuery(ast));
        const base = q.test(prepareDoc({ text, lang: 'it', source: 'Reddit', url: 'https://x.example/a' }));
        const upper = q.test(prepareDoc({ text: text.toUpperCase(), lang: 'it', source: 'REDDIT', url: 'https://x.example/a' }));
        const accented = q.test(prepareDoc({ text: accentify(text), lang: 'it', source: 'Reddit', url: 'https://x.example/a' }));
        expect(upper).toBe(base);
        expect(accented).toBe(base);
        // And the query written in capitals and accents means the same.
        const q2 = compileQuery(printQuery(mapValues(ast, (v) => accentify(v).toUpperCase())));
        expect(q2.test(prepareDoc({ text, lang: 'it', source: 'Reddit', url: 'https://x.example/a' }))).toBe(base);
      }),
      { numRuns: 300 },
    );
  });

  it('NOT a AND a never matches, a OR NOT a always does', () => {
    fc.assert(
      fc.property(astArb, textArb, (ast, text) => {
        const a = printQuery(ast);
        const doc = prepareDoc({ text, lang: 'en', source: 'Forum Caffè', url: 'https://www.x.example/' });
        expect(compileQuery(`NOT (${a}) AND (${a})`).test(doc)).toBe(false);
        expect(compileQuery(`(${a}) OR -(${a})`).test(doc)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('spans are inside the text and only reported on a match', () => {
    fc.assert(
      fc.property(astArb, textArb, (ast, text) => {
        const m = compileQuery(printQuery(ast)).match(prepareDoc({ text }));
        for (const s of m?.spans ?? []) {
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.end).toBeLessThanOrEqual(text.length);
          expect(s.end).toBeGreaterThan(s.start);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the hand-written tokenizer cuts words exactly like the Unicode word regex', () => {
    const reference = (text: string) =>
      [...text.matchAll(/[\p{L}\p{N}\p{M}_]+/gu)].map((m) => ({
        v: m[0].normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase(),
        e: m.index + m[0].length,
      }));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }), textArb), (text) => {
        expect(tokenize(text).map(({ v, e }) => ({ v, e }))).toEqual(reference(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('random garbage never throws anything but a QueryError', () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc
        .array(fc.constantFrom('(', ')', '"', 'AND', 'OR', 'NOT', 'NEAR/', 'NEAR/2', '-', '*', '#', '@', 'lang:', 'site:"x"', 'a', 'bé', ':', ' '), { maxLength: 20 })
        .map((p) => p.join(' ')),
      fc
        .array(fc.constantFrom('(', ')', '"', '-', '*', '#', '@', ':', 'a', 'N', 'EAR/', '3', ' '), { maxLength: 30 })
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(garbage, (q) => {
        try {
          const c = compileQuery(q);
          c.match(prepareDoc({ text: q, title: q }));
        } catch (e) {
          expect(e).toBeInstanceOf(QueryError);
          const qe = e as QueryError;
          expect(qe.position).toBeGreaterThanOrEqual(0);
          expect(qe.position).toBeLessThanOrEqual(q.length);
          expect(qe.message).toMatch(/colonna|vuota|troppo|frase|vuole/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
