import { describe, expect, it } from 'vitest';
import { detectDelimiter, formatFromFileName, normalizeDate, parseCsv, parseImportFile, parseJsonl } from '../../src/core/ingest/formats';

describe('JSONL', () => {
  it('reads one object per line, skips blank lines, reports bad lines by number', () => {
    const p = parseJsonl(['{"source":"a","text":"uno"}', '', '{"source":"a", text: 2}', '[1,2]', '42', '  {"source":"a","text":"tre"}  ', ''].join('\n'));
    expect(p.error).toBeNull();
    expect(p.lines).toBe(5);
    expect(p.records.map((r) => [r.line, r.value])).toEqual([
      [1, { source: 'a', text: 'uno' }],
      [6, { source: 'a', text: 'tre' }],
    ]);
    expect(p.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(p.rejected[0]!.reason).toMatch(/^JSON non valido/);
    expect(p.rejected[1]!.reason).toMatch(/lista/);
  });

  it('handles CRLF and a BOM, and a JSON array file', () => {
    expect(parseJsonl('\uFEFF{"text":"a"}\r\n{"text":"b"}\r\n').records).toHaveLength(2);
    const arr = parseJsonl('[{"text":"a"},{"text":"b"},3]');
    expect(arr.records).toHaveLength(2);
    expect(arr.rejected).toEqual([{ index: 2, line: 3, reason: "l'elemento non è un oggetto JSON" }]);
  });

  it('binary garbage is an error for the whole file', () => {
    const p = parseJsonl('PK\u0003\u0004\u0000\u0000garbage\u0000');
    expect(p.error).toMatch(/binario/);
    expect(p.records).toEqual([]);
  });
});

describe('the reasons of an import', () => {
  it('are worded in the language asked (the workspace\'s), Italian by default', () => {
    const lines = ['{"text":"a"}', '[1]', '7'].join('\n');
    expect(parseJsonl(lines, 'en').rejected.map((r) => r.reason)).toEqual(['the row holds a list: one JSON object per row is needed', 'the row is not a JSON object']);
    expect(parseJsonl(lines).rejected.map((r) => r.reason)).toEqual(['la riga contiene una lista: serve un oggetto JSON per riga', 'la riga non è un oggetto JSON']);
    const csv = 'source,text,likes\nforum,ciao,molti\nforum,ok,1,extra\n';
    expect(parseCsv(csv, 'f.csv', 'en', { keepGoodRows: true }).rejected.map((r) => r.reason)).toEqual(['likes: «molti» is not a whole number', 'the row has 4 columns, the header has 3']);
    expect(parseImportFile('f.csv', 'a,b\n1,2\n', undefined, 'en').error).toBe('The CSV file has no "text" column (nor "title"): the first row must name the columns, for example source,author,text,published_at. Columns found: a, b.');
    expect(parseImportFile('f.csv', 'a,b\n1,2\n').error).toMatch(/Colonne trovate: a, b\.$/);
  });
});

describe('CSV, strict unless the good rows are kept', () => {
  it('an unterminated quote refuses the whole file, naming the line and column where it opens', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `forum,riga ${i + 3}`);
    const csv = ['source,text', 'forum,"aperta e mai chiusa', ...rows].join('\n');
    const p = parseCsv(csv, 'x.csv');
    expect(p.records).toEqual([]);
    expect(p.error).toBe('Riga 2, colonna 2: virgolette aperte e mai chiuse: il resto del file da qui non è leggibile. Nessuna riga è stata salvata: correggi il file, oppure scegli «salva le righe buone».');
    expect(parseCsv(csv, 'x.csv', 'en').error).toMatch(/^Line 2, column 2: quotes opened and never closed/);
  });

  it('a row with a wrong column count refuses the file with its line and first odd column', () => {
    const p = parseCsv('source,text,likes\nforum,ciao,1\n\nforum,troppe,2,extra\nforum,ok,3\n', 'x.csv');
    expect(p.records).toEqual([]);
    expect(p.error).toMatch(/^Riga 4, colonna 4: la riga ha 4 colonne, l'intestazione ne ha 3\./);
    expect(parseCsv('source,text,likes\nforum,poche\n', 'x.csv').error).toMatch(/^Riga 2, colonna 3: la riga ha 2 colonne/);
  });

  it('an empty file, or a header without rows, is an error; so is an empty JSONL', () => {
    expect(parseCsv('', 'x.csv').error).toBe('Il file è vuoto.');
    expect(parseCsv('\uFEFF \n\n', 'x.csv').error).toBe('Il file è vuoto.');
    expect(parseCsv('source,text\n', 'x.csv').error).toBe('Il file CSV non ha righe leggibili.');
    expect(parseJsonl('\n\n').error).toBe('Il file è vuoto: nessuna riga da importare.');
  });

  it('a cell that is not a number is one refused row, not a refused file', () => {
    const p = parseCsv('text,likes\nuno,1\ndue,molti\n', 'x.csv');
    expect(p.error).toBeNull();
    expect(p.records).toHaveLength(1);
    expect(p.rejected.map((r) => r.line)).toEqual([3]);
  });
});

describe('CSV', () => {
  it('maps header columns to fields, converts numbers, strips the BOM', () => {
    const p = parseCsv('\uFEFFsource,external_id,author,text,likes,shares,ignored\nforum,1,ada,"Ciao, ""mondo""",3,,x\n', 'f.csv');
    expect(p.error).toBeNull();
    expect(p.records).toEqual([
      { index: 0, line: 2, value: { source: 'forum', external_id: '1', author: 'ada', text: 'Ciao, "mondo"', likes: 3 } },
    ]);
  });

  it('falls back to the file name when there is no source column', () => {
    const p = parseCsv('text\nuno\ndue\n', 'clienti.csv');
    expect(p.records.map((r) => (r.value as { source: string }).source)).toEqual(['clienti.csv', 'clienti.csv']);
  });

  it('reports bad rows with their line and keeps the good ones (multi-line fields counted)', () => {
    const csv = ['text,likes', '"riga\ndue righe",1', 'ok,abc', '', 'bene,2', 'troppe,1,colonne', 'fine,+4'].join('\n');
    const p = parseCsv(csv, 'x.csv', 'it', { keepGoodRows: true });
    expect(p.records.map((r) => [r.line, r.value])).toEqual([
      [2, { source: 'x.csv', text: 'riga\ndue righe', likes: 1 }],
      [6, { source: 'x.csv', text: 'bene', likes: 2 }],
      [8, { source: 'x.csv', text: 'fine', likes: 4 }],
    ]);
    expect(p.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'likes: «abc» non è un numero intero'],
      [7, "la riga ha 3 colonne, l'intestazione ne ha 2"],
    ]);
    expect(p.lines).toBe(5);
  });

  it('an unclosed quote is reported where the data stops being readable', () => {
    const p = parseCsv('text\nuno\n"due\ntre\n', 'x.csv', 'it', { keepGoodRows: true });
    expect(p.records).toHaveLength(1);
    expect(p.rejected).toHaveLength(1);
    expect(p.rejected[0]).toMatchObject({ line: 3 });
    expect(p.rejected[0]!.reason).toMatch(/virgolette/);
  });

  it('semicolons (Italian Excel), aliases and Italian dates', () => {
    expect(detectDelimiter('a;b;"c,d"\n1;2;3')).toBe(';');
    const p = parseCsv('Fonte;Testo;Data\nsito;buono;20/11/2026 08:30\nsito;estate;01/07/2026\n', 'x.csv');
    expect(p.records.map((r) => r.value)).toEqual([
      { source: 'sito', text: 'buono', published_at: '2026-11-20T07:30:00.000Z' },
      { source: 'sito', text: 'estate', published_at: '2026-06-30T22:00:00.000Z' },
    ]);
    expect(normalizeDate('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(normalizeDate('31/02/2026')).toBe('31/02/2026');
  });

  it('a file without a text column, an empty file or binary garbage is an error', () => {
    expect(parseCsv('nome,email\nmario,m@x.it\n', 'x.csv').error).toMatch(/colonna "text"/);
    expect(parseCsv('', 'x.csv').error).toMatch(/vuoto/);
    expect(parseCsv('\u0000\u0001\u0002binary', 'x.xlsx').error).toMatch(/binario/);
  });
});

describe('format', () => {
  it('comes from the extension, else from the content', () => {
    expect(formatFromFileName('a.JSONL')).toBe('jsonl');
    expect(formatFromFileName('a.ndjson')).toBe('jsonl');
    expect(formatFromFileName('a.csv')).toBe('csv');
    expect(formatFromFileName('a')).toBeNull();
    expect(parseImportFile('dati', '{"text":"x"}\n').format).toBe('jsonl');
    expect(parseImportFile('dati', 'text\nx\n').format).toBe('csv');
    expect(parseImportFile('dati.csv', '{"text":"x"}\n', 'jsonl').format).toBe('jsonl');
  });
});
