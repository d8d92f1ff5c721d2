// One way to fold text (issue #15): shared/text is the only place that strips accents, and the
// readers that compare words (queries, terms, owned accounts, CSV headers, regions, the inbox
// filter) all go through it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold, foldKey, foldName } from '../../src/shared/text';
import { resolveRegion } from '../../src/shared/regions';

const ROOT = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|svelte)$/.test(f) ? [p] : [];
  });
}

describe('shared/text', () => {
  it('folds case and accents, composed or decomposed, and leaves the rest', () => {
    expect(fold('Perché COSÌ')).toBe('perche cosi');
    expect(fold('Perche\u0301')).toBe('perche');
    expect(fold('caffè #Aurora @Sorgiva 🙂')).toBe('caffe #aurora @sorgiva 🙂');
    expect(fold('plain ascii')).toBe('plain ascii');
    expect(foldName('  Caffè Aurora ')).toBe('caffe aurora');
    expect(foldKey("Valle d'Aosta")).toBe('valledaosta');
    expect(foldKey('Impressioni (totali)')).toBe('impressionitotali');
  });

  it('folds a Latin-1 text (its own fast path) exactly as decomposing it does', () => {
    const reference = (s: string): string => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
    // Every pair of Latin-1 characters: each character, and each next to any other.
    for (let a = 0; a < 256; a++) {
      let line = '';
      for (let b = 0; b < 256; b++) line += String.fromCharCode(a, b);
      expect(fold(line)).toBe(reference(line));
    }
    for (const s of ['Perché COSÌ È già', 'ÀÉÎÕÜ àéîõü ÇçÑñ ÆæØøßÞþÐðÿŸ', 'Città, più, però: 100€ no', 'µ ª º ¹ ½ × ÷ ¿¡']) expect(fold(s)).toBe(reference(s));
  });

  it('is what the readers use: a region written without accents or with hyphens is found', () => {
    expect(resolveRegion('Valle-d’Aosta')?.code).toBe('02');
    expect(resolveRegion('EMILIA ROMAGNA')?.code).toBe('08');
  });

  it('is the only folding in the code: no other file decomposes accents itself (migrations keep their own copy)', () => {
    const offenders = sources(join(ROOT, 'src'))
      .filter((p) => !p.endsWith(join('shared', 'text.ts')) && !p.includes(join('store', 'migrations')))
      .filter((p) => /normalize\(\s*['"]NF[KD]/.test(readFileSync(p, 'utf8')))
      .map((p) => relative(ROOT, p));
    expect(offenders).toEqual([]);
  });
});
