import { describe, expect, it } from 'vitest';
import { contentWords, emergentTerms, ThemeVocabulary } from '../../src/core/moments/terms';
import { fold } from '../../src/shared/text';

// The tracker folds a mention once and hands the parts to emergentTerms: the terms must be
// exactly those of folding the joined text, whatever the accents, cases and scripts.
describe('emergentTerms with the mention already folded', () => {
  const vocab = new ThemeVocabulary(['"caffè aurora" OR capsule*', '#aurora AND lang:it']);
  const cases: [string | null, string][] = [
    [null, 'Perché la CONSEGNA è in ritardo? #Vergogna @caffeaurora https://x.example/a'],
    ['Richiamo capsule', 'Muffa nelle capsule, la gente trova muffa. Rimborso lento'],
    ['ΟΔΟΣ', 'Σ λόγος ΟΔΟΣ e\u0301 perche\u0301 l’assistenza non risponde'],
    ['Titolo con e\u0301', '\u0301inizio con un accento staccato, poi servizio pessimo'],
    ['', 'titolo vuoto: consegna ottima, prodotto buono'],
    ['Lungo', 'parola '.repeat(200) + 'fine'],
  ];
  it.each(cases)('title %j', (title, text) => {
    const folded = { title: title ? fold(title) : null, text: fold(text) };
    expect(emergentTerms(title, text, vocab, folded)).toEqual(emergentTerms(title, text, vocab));
  });
});

// contentWords scans characters by hand instead of matching a regex: its words must be those of
// the regex reading it replaced (kept here as the reference), in every script, with surrogate
// pairs, lone surrogates, marks, elisions, hashtags, links and handles.
describe('contentWords reads what the word regex read', () => {
  const STOPWORDS = new Set(['nelle', 'della', 'anche', 'questo', 'sono', 'really']);
  const ELIDED = /^(?:l|un|dell|all|dall|nell|sull|quest|quell|c|d|m|t|s|v|n|po|anch|com|dov|cos|nessun|buon|qual)['’]/;
  function reference(text: string): string[] {
    const out: string[] = [];
    const clean = fold(text).replace(/(?:https?:\/\/|www\.)\S+/gu, ' ').replace(/@[\p{L}\p{N}_.]+/gu, ' ');
    for (const m of clean.matchAll(/#?[\p{L}\p{N}_]+(?:['’][\p{L}]+)*/gu)) {
      let w = m[0].replace(/’/g, "'");
      if (w.startsWith('#')) {
        if (w.length >= 4 && /\p{L}/u.test(w)) out.push(w);
      } else {
        w = w.replace(ELIDED, '');
        if (w.length >= 4 && !STOPWORDS.has(w) && !w.includes("'") && /\p{L}/u.test(w)) out.push(w);
        else out.push('');
      }
      if (out.length >= 60) break;
    }
    return out;
  }
  const pieces = ['a', 'Zz', 'é', 'È', '1', '_', '#', "'", '’', ' ', '\n', 'ß', 'Σ', 'λ', '\u0301', '😀', '𝒜', '\ud800', '\udc00', '-', '٣', 'Ⅻ', '²', 'ǅ', 'ﬁ', '中', 'ا',
    'dell’', "l'", 'nelle ', 'capsule', ' @caffe_aurora ', ' https://x.example/a ', 'www.x.it ', '#tag'];
  it('on generated texts', () => {
    let seed = 7;
    const r = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 5000; k++) {
      let t = '';
      for (let j = 1 + Math.floor(r() * 30); j > 0; j--) t += pieces[Math.floor(r() * pieces.length)]!;
      expect(contentWords(t), t).toEqual(reference(t));
    }
  });
});
