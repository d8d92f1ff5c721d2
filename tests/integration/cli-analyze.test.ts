// `vedetta analyze`, spawned as an analyst would run it: JSONL and CSV in, one JSONL line
// per row out (stdout or --out), bad rows on stderr with their line numbers, never a stop.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestApp, tempDir } from './support/app';
import { vedetta } from './support/cli';



const parseLines = (s: string): Record<string, unknown>[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('vedetta analyze', () => {
  it('scores each JSONL row and reports the bad ones by line, without stopping', async () => {
    const dir = tempDir();
    const file = join(dir, 'in.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', text: 'Che schifo, la macchina non funziona più!' }),
        '{ questa riga non è JSON',
        JSON.stringify({ id: 'b', text: 'I love the new cold brew 😍' }),
        JSON.stringify({ id: 'c', body: 'manca il testo' }),
        '',
        JSON.stringify({ id: 'd', text: '' }),
        JSON.stringify({ id: 'e', text: '😡😡😡' }),
        JSON.stringify({ id: 'f', text: `${'Il servizio è ottimo. '.repeat(5000)}` }),
        JSON.stringify({ id: 'g', text: 'Il prodotto is amazing ma la consegna è stata un disastro, never again', lang: 'it' }),
      ].join('\n'),
    );
    const r = await vedetta(['analyze', file]);
    expect(r.code).toBe(0);
    const rows = parseLines(r.stdout);
    expect(rows.map((x) => x.id)).toEqual(['a', 'b', 'd', 'e', 'f', 'g']);
    expect(rows.map((x) => x.line)).toEqual([1, 3, 6, 7, 8, 9]);
    const by = Object.fromEntries(rows.map((x) => [x.id, x]));
    expect(by.a).toMatchObject({ lang: 'it', sentiment_label: 'negative', themes: [] });
    expect(by.a?.sentiment_terms).toEqual(expect.arrayContaining([expect.objectContaining({ term: 'schifo' })]));
    expect(by.b).toMatchObject({ lang: 'en', sentiment_label: 'positive' });
    expect(by.d).toMatchObject({ sentiment_score: 0, sentiment_label: 'neutral', sentiment_terms: [] });
    expect(by.e).toMatchObject({ sentiment_label: 'negative' });
    expect(by.f).toMatchObject({ lang: 'it', sentiment_label: 'positive' });
    expect(by.g).toMatchObject({ lang: 'it', sentiment_label: 'negative' });
    for (const x of rows) {
      expect(x.sentiment_score).toBeGreaterThanOrEqual(-1);
      expect(x.sentiment_score).toBeLessThanOrEqual(1);
    }
    expect(r.stderr).toContain('riga 2: JSON non valido');
    expect(r.stderr).toContain('riga 4: manca il campo "text"');
    expect(r.stderr).toMatch(/Analizzate 6 righe .*2 scartate/);
  });

  it('reads a CSV with another text column and writes --out', async () => {
    const dir = tempDir();
    const file = join(dir, 'recensioni.csv');
    writeFileSync(file, '\uFEFFid,commento\n' + '1,"Consigliatissimo, ottimo caffè"\n2,"Pessimo servizio, mai più"\n3,"Ordine spedito"\n');
    const out = join(dir, 'out.jsonl');
    const r = await vedetta(['analyze', file, '--text-column', 'commento', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const rows = parseLines(readFileSync(out, 'utf8'));
    expect(rows.map((x) => [x.id, x.line, x.sentiment_label])).toEqual([
      ['1', 2, 'positive'],
      ['2', 3, 'negative'],
      ['3', 4, 'neutral'],
    ]);
  });

  it('reads a Windows-1252 CSV (an Excel export) and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'excel.csv');
    writeFileSync(file, Buffer.from('id,text\r\n1,"Perch\xe9 \xe8 cos\xec scadente? Pessimo"\r\n2,"Caff\xe8 ottimo, grazie"\r\n', 'latin1'));
    const r = await vedetta(['analyze', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('non è UTF-8; letto come Windows-1252');
    const rows = parseLines(r.stdout);
    expect(rows.map((x) => [x.id, x.lang, x.sentiment_label])).toEqual([
      ['1', 'it', 'negative'],
      ['2', 'it', 'positive'],
    ]);
    expect(JSON.stringify(rows[0]?.sentiment_terms)).toContain('"term":"scadente"');
  });

  it("gives each row the themes of the workspace's perimeter, read beside a running instance", async () => {
    const { app, dataDir, dispose } = openTestApp('cli');
    try {
      const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
      await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat' });
      await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Solo Reddit', query: 'aurora AND source:reddit', swot: 'opportunity' });
      const file = join(tempDir(), 'in.jsonl');
      writeFileSync(
        file,
        [
          JSON.stringify({ id: 'a', text: 'Ho trovato la muffa nelle capsule Aurora!' }),
          JSON.stringify({ id: 'b', text: 'Aurora, che buon caffè', source: 'Reddit r/italy' }),
          JSON.stringify({ id: 'c', text: 'Nessun tema qui' }),
        ].join('\n'),
      );
      // The instance above still holds the folder: analyze only reads it.
      const r = await vedetta(['analyze', file, '--data', dataDir]);
      expect(r.code, r.stderr).toBe(0);
      const by = Object.fromEntries(parseLines(r.stdout).map((x) => [x.id, x]));
      expect((by.a?.themes as { name: string; relevance: number }[]).map((t) => t.name)).toEqual(['Muffa nelle capsule']);
      expect((by.a?.themes as { relevance: number }[])[0]?.relevance).toBeGreaterThan(0);
      expect((by.b?.themes as { name: string }[]).map((t) => t.name)).toEqual(['Solo Reddit']);
      expect(by.c?.themes).toEqual([]);

      const empty = await vedetta(['analyze', file, '--data', tempDir()]);
      expect(empty.code).toBe(0);
      expect(empty.stderr).toContain('i temi restano vuoti');
    } finally {
      dispose();
    }
  });

  it('explains a missing column, a missing file and a wrong format', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.csv');
    writeFileSync(file, 'id,body\n1,ciao\n');
    const missingCol = await vedetta(['analyze', file]);
    expect(missingCol.code).toBe(1);
    expect(missingCol.stderr).toContain('manca la colonna "text" (colonne: id, body)');
    const missingFile = await vedetta(['analyze', join(dir, 'nope.jsonl')]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain('il file non esiste');
    const badFormat = await vedetta(['analyze', file, '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format deve essere jsonl o csv');
  }, 90_000); // three CLI processes in a row, slow on a loaded machine
});
