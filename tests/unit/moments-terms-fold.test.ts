import { describe, expect, it } from 'vitest';
import { emergentTerms, ThemeVocabulary } from '../../src/core/moments/terms';
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
