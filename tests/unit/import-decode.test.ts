// Import files' bytes → text, decided once: BOMs, one bad byte repairing one line, windows-1252
// through the feeds' table, a chosen encoding; and migration 018 that keeps it in the report.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImportBytes, importEncodingOf, ImportTextDecoder } from '../../src/core/ingest/formats';
import { utf8Shape } from '../../src/shared/charset';
import { decodeFeed } from '../../src/connectors/inbound/feeds';
import { ImportReportsRepo } from '../../src/core/store/import-reports-repo';
import { migrate, migrations } from '../../src/core/store/migrations';
import { onClose, tempDir, testApp } from './support/core';
import { importContent } from '../support/import-content';

const utf16 = (s: string, le: boolean): Buffer => {
  const b = Buffer.from(s, 'utf16le');
  if (!le) b.swap16();
  return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), b]);
};
const decode = (b: Uint8Array, chosen?: string): { text: string; encoding: string; repairedLines: number } => {
  const r = decodeImportBytes(b, utf8Shape(b), chosen);
  if ('unsupported' in r) throw new Error(r.unsupported);
  return r;
};

describe('import decoding', () => {
  const text = 'source,text\nforum,Caffè “buono” a 2 €\nforum,perché no\n';

  it('reads UTF-8 with and without BOM, UTF-16LE and UTF-16BE with BOM', () => {
    expect(decode(Buffer.from(text))).toEqual({ text, encoding: 'utf-8', repairedLines: 0 });
    expect(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8', repairedLines: 0 });
    expect(decode(utf16(text, true))).toEqual({ text, encoding: 'utf-16le', repairedLines: 0 });
    expect(decode(utf16(text, false))).toEqual({ text, encoding: 'utf-16be', repairedLines: 0 });
  });

  it('one invalid byte in a UTF-8 file repairs that line only; the file is not read as cp1252', () => {
    const bad = Buffer.concat([Buffer.from('uno è\ndue '), Buffer.from([0xe8]), Buffer.from(' tre\ntré\n')]);
    expect(decode(bad)).toEqual({ text: 'uno è\ndue \uFFFD tre\ntré\n', encoding: 'utf-8', repairedLines: 1 });
  });

  it('a windows-1252 file keeps € “ ” (the feeds\' decoder gives the same text)', () => {
    const cp = Buffer.from([0x80, 0x20, 0x93, 0x63, 0x69, 0x61, 0x6f, 0x94, 0x20, 0xe8, 0x0a]);
    expect(decode(cp)).toEqual({ text: '€ “ciao” è\n', encoding: 'windows-1252', repairedLines: 0 });
    expect(decodeFeed(cp).text).toBe('€ “ciao” è\n');
  });

  it('a chosen encoding wins over the sniffing; latin-1 is windows-1252', () => {
    expect(importEncodingOf('latin-1')).toBe('windows-1252');
    expect(importEncodingOf('ISO-8859-1')).toBe('windows-1252');
    expect(importEncodingOf('UTF-16LE')).toBe('utf-16le');
    expect(importEncodingOf('klingon')).toBeNull();
    expect(decode(Buffer.from('perché\n'), 'windows-1252')).toMatchObject({ text: 'perchÃ©\n', encoding: 'windows-1252' });
  });

  it('lines cut by chunk boundaries decode as a whole (one repair per bad line)', () => {
    const bytes = Buffer.concat([Buffer.from('àèì\nò'), Buffer.from([0xff]), Buffer.from('ù\n'), utf16('x', true).subarray(2)]);
    const dec = new ImportTextDecoder('utf-8');
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += dec.push(bytes.subarray(i, i + 1));
    out += dec.end();
    expect(out).toBe('àèì\nò\uFFFDù\nx\u0000');
    expect(dec.repairedLines).toBe(1);
    const le = utf16('a\nbè\nc', true);
    const d16 = new ImportTextDecoder('utf-16le', 2);
    let t16 = '';
    for (let i = 0; i < le.length; i += 3) t16 += d16.push(le.subarray(i, i + 3));
    expect(t16 + d16.end()).toBe('a\nbè\nc');
  });

  it('a UTF-16 CSV with BOM is imported, not refused as binary; the report names the encoding', async () => {
    const { app } = testApp();
    const r = await importContent(app, 'clienti.csv', utf16('source,text,published_at\nforum,Ottimo caffè,2026-01-01T10:00:00Z\n', true));
    expect(r).toMatchObject({ error: null, accepted: 1, encoding: 'utf-16le', repairedLines: 0, cancelled: false });
    expect((await app.dispatch('import.reports', {}) as { encoding: string }[])[0]).toMatchObject({ encoding: 'utf-16le' });
  });
});

describe('migration 018 import_encoding', () => {
  it('adds encoding, repaired lines and cancelled to the reports of a store built by the earlier real migrations', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const version = migrations.find((m) => m.name === 'import_encoding')!.version;
    expect(version).toBe(18);
    migrate(db, migrations.filter((m) => m.version < version));
    db.prepare("INSERT INTO import_reports (file_name, format, at, lines, accepted, duplicates, rejected, error) VALUES ('vecchio.csv', 'csv', 1, 3, 2, 0, '[]', NULL)").run();
    expect(migrate(db)).toEqual(migrations.filter((m) => m.version >= version).map((m) => m.version));
    const repo = new ImportReportsRepo(db);
    expect(repo.list()[0]).toMatchObject({ fileName: 'vecchio.csv', accepted: 2, encoding: null, repairedLines: 0, cancelled: false });
    repo.insert({ fileName: 'n.csv', format: 'csv', at: 2, lines: 1, accepted: 1, duplicates: 0, rejected: [], error: null, encoding: 'windows-1252', repairedLines: 3, cancelled: true });
    expect(repo.list()[0]).toMatchObject({ fileName: 'n.csv', encoding: 'windows-1252', repairedLines: 3, cancelled: true });
  });
});
