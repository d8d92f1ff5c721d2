// The rule scorer (the fallback when the model file is missing, and the source of the
// model's lexicon signals): one test per rule (negation scope, contrast, intensifiers and
// downtoners, elongation, emoji and emoticons, capitals, exclamations, questions,
// inflections), English and mixed texts, and hostile input that must score without error.
import { describe, expect, it } from 'vitest';
import { detectLanguage, detectLanguageDetail } from '../../src/core/analysis/lang';
import { buildLexicons, itStem, readRawLists } from '../../src/core/analysis/lexicon';
import { SentimentAnalyzer, labelFor } from '../../src/core/analysis/sentiment';
import { MAX_TERMS, normalizeScore } from '../../src/core/analysis/sentiment-rules';
import { tokenize } from '../../src/core/analysis/tokenize';
import { resourcesDir } from './support/core';

// No model: the rules alone, as when model.bin is missing.
const a = new SentimentAnalyzer(buildLexicons(readRawLists(resourcesDir)));
const it_ = (text: string) => a.analyze(text, 'it');
const score = (text: string, lang = 'it') => a.analyze(text, lang).score;
const label = (text: string, lang = 'it') => a.analyze(text, lang).label;
const terms = (text: string, lang = 'it') => a.analyze(text, lang).terms.map((t) => t.term);

describe('Italian lexicon and inflections', () => {
  it('scores plain words from the translated list and the curated social list', () => {
    expect(label('Il caffè è ottimo')).toBe('positive');
    expect(label('Servizio pessimo')).toBe('negative');
    expect(label('Questa è una truffa')).toBe('negative');
    expect(label('Prodotto top, consigliatissimo')).toBe('positive');
    expect(label('La consegna è prevista per martedì')).toBe('neutral');
  });

  it('matches phrases before words ("non funziona", "fa schifo", "mai più")', () => {
    expect(terms('La app non funziona')).toEqual(['non funziona']);
    expect(terms('Fa schifo')).toEqual(['Fa schifo']);
    expect(label('Mai più con voi')).toBe('negative');
  });

  it('handles gender, number and superlative forms of a word', () => {
    for (const w of ['bellissimo', 'bellissima', 'bellissimi', 'bellissime', 'bella', 'belli', 'belle']) {
      expect(label(`Le tazze sono ${w}`), w).toBe('positive');
    }
    for (const w of ['deluso', 'delusa', 'delusi', 'deluse']) expect(label(`Siamo ${w}`), w).toBe('negative');
    expect(itStem('stanchi')).toEqual({ stem: 'stanc', superlative: false });
    expect(itStem('buonissime')).toEqual({ stem: 'buon', superlative: true });
    // A superlative weighs more than its base word.
    expect(score('è buonissima')).toBeGreaterThan(score('è buona'));
  });

  it('drops words the translated list gets wrong for social text', () => {
    expect(label('Governo Monti subito')).toBe('neutral');
    expect(label('Mi serve una soluzione')).toBe('neutral');
  });
});

describe('negation', () => {
  it('flips a word within its scope', () => {
    expect(label('Il caffè non è buono')).toBe('negative');
    expect(label('Non è male')).toBe('positive');
    expect(label('Nessun problema con la consegna')).toBe('positive');
    // Negative concord: "non … mai" is one negation, not two.
    expect(label('Non è mai stato buono')).toBe('negative');
    expect(terms('Non è male')).toEqual(['Non … male']);
    expect(terms('non buono')).toEqual(['non buono']);
  });

  it('reaches at most three words back and stops at clause breaks', () => {
    expect(label('Non so. Ottimo caffè')).toBe('positive');
    expect(label('Non lo so, ottimo caffè')).toBe('positive');
    expect(label('Non avrei mai detto che sarebbe ottimo')).toBe('positive');
  });

  it('treats "poco" as a weak negation and drops intensifiers under negation', () => {
    expect(label('Personale poco professionale')).toBe('negative');
    expect(score('Personale poco professionale')).toBeGreaterThan(score('Personale incompetente'));
    expect(score('non molto buono')).toBeCloseTo(score('non buono'), 5);
  });

  it('handles English negators too (mixed texts)', () => {
    expect(label('not good at all', 'en')).toBe('negative');
    expect(label("it doesn't work", 'en')).toBe('negative');
  });
});

describe('intensifiers and downtoners', () => {
  it('scale the next word', () => {
    expect(score('molto buono')).toBeGreaterThan(score('buono'));
    expect(score('davvero pessimo')).toBeLessThan(score('pessimo'));
    expect(score('abbastanza buono')).toBeLessThan(score('buono'));
    expect(score('abbastanza buono')).toBeGreaterThan(0);
    expect(terms('molto buono')).toEqual(['molto buono']);
  });
});

describe('contrast', () => {
  it('weighs the clause after "ma"/"però" more than the one before', () => {
    expect(label('Il caffè è buono ma la consegna è un disastro')).toBe('negative');
    expect(label('La consegna è un disastro, però il caffè è ottimo')).toBe('positive');
    const r = it_('Il caffè è buono ma la consegna è un disastro');
    const w = Object.fromEntries(r.terms.map((t) => [t.term, t.weight]));
    expect(w.buono).toBeCloseTo(3 * 0.5, 5);
    expect(w.disastro).toBeCloseTo(-4 * 1.5, 5);
  });

  it('ignores a sentence-opening "Ma" (an interjection)', () => {
    const r = it_('Ma che bello!');
    expect(r.label).toBe('positive');
    expect(r.terms[0]?.weight).toBeGreaterThanOrEqual(3);
  });
});

describe('social signals', () => {
  it('elongated words count, and more', () => {
    expect(label('bellooo')).toBe('positive');
    expect(score('bellissimooo')).toBeGreaterThan(score('bellissimo'));
    expect(terms('che schifooo')).toEqual(['che schifooo']);
  });

  it('capitals shout', () => {
    expect(score('VERGOGNA')).toBeLessThan(score('vergogna'));
    expect(terms('VERGOGNA')).toEqual(['VERGOGNA']);
  });

  it('exclamations strengthen, questions soften', () => {
    expect(score('Buono!!!')).toBeGreaterThan(score('Buono'));
    expect(score('È buono?')).toBeLessThan(score('È buono'));
    expect(score('È buono?')).toBeGreaterThan(0);
  });

  it('scores emoji and emoticons, with skin tones and variation selectors', () => {
    expect(label('😡')).toBe('negative');
    expect(label('😍😍')).toBe('positive');
    expect(label('❤️')).toBe('positive');
    expect(label('👍🏽')).toBe('positive');
    expect(label('consegna arrivata :(')).toBe('negative');
    expect(label('grazie :-)')).toBe('positive');
    expect(label('<3')).toBe('positive');
    // Letters next to an emoticon's letters make a word, not a face.
    expect(tokenize('xDomani').map((t) => t.kind)).toEqual(['word']);
    expect(tokenize('ahah xD').map((t) => t.kind)).toEqual(['word', 'emoticon']);
  });

  it('splits camel-case hashtags and finds the word that opens a run-together one', () => {
    expect(tokenize('#NonFunziona').map((t) => t.norm)).toEqual(['non', 'funziona']);
    expect(label('#NonFunziona')).toBe('negative');
    expect(label('#vergognaaurora')).toBe('negative');
    expect(label('#boicottaaurora')).toBe('negative');
    expect(label('#aurora #caffe')).toBe('neutral');
  });

  it('reads hashtags as words and ignores links and handles', () => {
    expect(label('#vergogna @caffeaurora')).toBe('negative');
    expect(label('https://example.com/pessimo-schifo')).toBe('neutral');
    expect(tokenize("l'ordine dell'app").map((t) => t.norm)).toEqual(['ordine', 'app']);
  });
});

describe('English', () => {
  it('scores with wink-nlp and the rules, naming the drivers', () => {
    expect(label('I love this coffee', 'en')).toBe('positive');
    expect(label('Worst customer service ever', 'en')).toBe('negative');
    expect(label('The order arrived on Tuesday', 'en')).toBe('neutral');
    expect(terms('I love this coffee', 'en')).toEqual(['love']);
    expect(a.analyze('I love this coffee', 'en').scorer).toBe('en');
  });
});

describe('mixed Italian and English', () => {
  it('is detected and scored with both lexicons', () => {
    const text = 'Il prodotto is amazing ma la consegna è stata pessima, never again';
    expect(detectLanguageDetail(text).mixed).toBe(true);
    const r = a.analyze(text);
    expect(r.scorer).toBe('mixed');
    expect(r.label).toBe('negative');
    expect(r.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['amazing', 'pessima', 'never again']));
  });

  it('decides the dominant language', () => {
    expect(detectLanguage('Ho provato il nuovo cold brew, davvero top, lo consiglio a tutti')).toBe('it');
    expect(detectLanguage('Tried the new espresso at the bar in Milan, it was great')).toBe('en');
    expect(detectLanguage('Provata stamattina: consigliatissima')).toBe('it');
    expect(detectLanguage('Anyone compared Aurora Fredda cold brew with Caffè Borealis?')).toBe('en');
    expect(detectLanguage('El café está muy bueno y el servicio es excelente')).not.toMatch(/^(it|en)$/);
  });
});

describe('bad input scores without error', () => {
  const check = (text: string) => {
    const r = a.analyze(text);
    expect(Number.isFinite(r.score)).toBe(true);
    expect(r.score).toBeGreaterThanOrEqual(-1);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(['positive', 'neutral', 'negative']).toContain(r.label);
    expect(r.terms.length).toBeLessThanOrEqual(MAX_TERMS);
    return r;
  };

  it('empty and blank text is neutral', () => {
    expect(check('')).toMatchObject({ score: 0, label: 'neutral', terms: [] });
    expect(check('   \n\t ')).toMatchObject({ score: 0, label: 'neutral' });
  });

  it('emoji-only and punctuation-only text', () => {
    expect(check('😡😡😡🤬').label).toBe('negative');
    expect(check('☕☕☕').label).toBe('neutral');
    expect(check('!!!???...').label).toBe('neutral');
    expect(check('🏳️‍🌈👨‍👩‍👧‍👦🇮🇹').label).toBeDefined();
  });

  it('a 100 KB text', () => {
    const big = 'Il servizio è pessimo e la consegna in ritardo. '.repeat(2100).slice(0, 100_000);
    expect(big.length).toBe(100_000);
    expect(check(big).label).toBe('negative');
    const oneWord = 'a'.repeat(100_000);
    check(oneWord);
  });

  it('mixed scripts, control characters and lone surrogates', () => {
    check('Ottimo 👍 очень хорошо 非常好 ممتاز');
    check('buono\u0000\u0007\u001b[31m pessimo');
    check('\uD83D ottimo \uDE00');
    check('x'.repeat(5000) + ' ottimo');
  });

  it('keeps every score in [-1, 1] however many words pile up', () => {
    expect(check('ottimo '.repeat(3000)).score).toBeLessThanOrEqual(1);
    expect(check('VERGOGNA!!! '.repeat(3000)).score).toBeGreaterThanOrEqual(-1);
    expect(normalizeScore(1e9)).toBeLessThanOrEqual(1);
    expect(normalizeScore(-1e9)).toBeGreaterThanOrEqual(-1);
  });
});

describe('labels', () => {
  it('are symmetric around the threshold', () => {
    expect(labelFor(0.25, 0.25)).toBe('positive');
    expect(labelFor(-0.25, 0.25)).toBe('negative');
    expect(labelFor(0.2499, 0.25)).toBe('neutral');
  });
});

describe('unicode forms', () => {
  it('matches decomposed accents as composed ones', () => {
    const nfd = 'Perché è così scadente'.normalize('NFD');
    expect(nfd).not.toBe('Perché è così scadente');
    expect(label(nfd)).toBe('negative');
    expect(label('felicità'.normalize('NFD'))).toBe('positive');
  });
});
