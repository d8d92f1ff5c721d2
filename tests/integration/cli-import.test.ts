// `vedetta import` as a user runs it, on the files that used to go wrong: an unterminated
// quote (100 rows silently lost, exit 0), an empty file (exit 0, no word), a cp1252 export
// (€ “ ” lost), one bad byte in UTF-8 (the whole file garbled), a UTF-16 file with BOM.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/app';
import { vedetta } from './support/cli';

const stored = async (data: string): Promise<{ text: string }[]> => {
  const r = await vedetta(['export', 'mentions', '--format', 'jsonl', '--data', data]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string });
};

describe('vedetta import: strict CSV and encodings', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('an unterminated quote exits 1 naming line and column, storing nothing; --keep-good-rows stores the rows before it', async () => {
    const data = fresh();
    const file = join(data, 'rotto.csv');
    const good = Array.from({ length: 5 }, (_, i) => `forum,k${i},buona ${i},2026-11-20T10:00:0${i}Z`);
    const after = Array.from({ length: 100 }, (_, i) => `forum,z${i},dopo ${i},2026-11-20T11:00:00Z`);
    writeFileSync(file, ['source,external_id,text,published_at', ...good, 'forum,x,"mai chiusa,2026-11-20T10:30:00Z', ...after, ''].join('\n'));
    const strict = await vedetta(['import', file, '--data', data]);
    expect(strict.code).toBe(1);
    expect(strict.stderr + strict.stdout).toMatch(/Riga 7, colonna 3: virgolette aperte e mai chiuse/);
    expect(await stored(data)).toEqual([]);

    const keep = await vedetta(['import', file, '--keep-good-rows', '--data', data]);
    expect(keep.code, keep.stderr).toBe(0);
    expect(keep.stdout).toMatch(/accettate:\s+5/);
    expect(keep.stdout).toMatch(/riga 7: virgolette aperte/);
    expect((await stored(data)).map((m) => m.text).sort()).toEqual(good.map((_, i) => `buona ${i}`));
  });

  it('an empty file exits 1 with a message', async () => {
    const data = fresh();
    for (const name of ['vuoto.csv', 'vuoto.jsonl']) {
      writeFileSync(join(data, name), '');
      const r = await vedetta(['import', join(data, name), '--data', data]);
      expect(r.code).toBe(1);
      expect(r.stderr + r.stdout).toMatch(/Il file è vuoto/);
    }
  });

  it('cp1252 keeps € “ ”, one bad UTF-8 byte repairs one line, UTF-16 with BOM is read, --encoding wins', async () => {
    const data = fresh();
    const cp = join(data, 'excel.csv');
    writeFileSync(cp, Buffer.concat([Buffer.from('source,external_id,text\nforum,c1,'), Buffer.from([0x80, 0x20, 0x93, 0x63, 0x69, 0x61, 0x6f, 0x94, 0x20, 0xe8, 0x0a])]));
    const r1 = await vedetta(['import', cp, '--data', data]);
    expect(r1.code, r1.stdout).toBe(0);
    expect(r1.stdout).toMatch(/codifica:\s+WINDOWS-1252/);

    const u8 = join(data, 'quasi.csv');
    writeFileSync(u8, Buffer.concat([Buffer.from('source,external_id,text\nforum,u1,perché sì\nforum,u2,rotto '), Buffer.from([0xe8]), Buffer.from('\nforum,u3,città\n')]));
    const r2 = await vedetta(['import', u8, '--data', data]);
    expect(r2.code, r2.stdout).toBe(0);
    expect(r2.stdout).toMatch(/codifica:\s+UTF-8/);
    expect(r2.stdout).toMatch(/righe con byte non validi, lette con �: 1/);

    const wide = join(data, 'unicode.csv');
    writeFileSync(wide, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('source,external_id,text\nforum,w1,caffè largo\n', 'utf16le')]));
    const r3 = await vedetta(['import', wide, '--data', data]);
    expect(r3.code, r3.stdout).toBe(0);
    expect(r3.stdout).toMatch(/codifica:\s+UTF-16LE/);

    const forced = join(data, 'forzato.csv');
    writeFileSync(forced, 'source,external_id,text\nforum,f1,Ã¨\n');
    const r4 = await vedetta(['import', forced, '--encoding', 'utf-8', '--data', data]);
    expect(r4.stdout).toMatch(/codifica:\s+UTF-8/);
    const bad = await vedetta(['import', forced, '--encoding', 'klingon', '--data', data]);
    expect(bad.code).toBe(2);

    expect((await stored(data)).map((m) => m.text).sort()).toEqual(['caffè largo', 'città', 'perché sì', 'rotto \uFFFD', '€ “ciao” è', 'Ã¨'].sort());
  });
});
