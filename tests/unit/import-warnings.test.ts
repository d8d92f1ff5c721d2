// Lines stored with a warning (a published time more than a day after their arrival): the
// migration that keeps them in the import report, the pipeline's warnings, the CLI's reports.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReplaySummary, formatReport } from '../../src/cli/main';
import { setErrorLanguage } from '../../src/shared/errors';
import { ImportReportsRepo } from '../../src/core/store/import-reports-repo';
import { migrate, migrations } from '../../src/core/store/migrations';
import { isFutureDated } from '../../src/shared/clock';
import { onClose, tempDir, testApp } from './support/core';
import { importContent } from '../support/import-content';

describe('migration 016 import_warnings', () => {
  it('adds the warnings to the reports of a store built by the earlier real migrations, keeping the old reports', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const version = migrations.find((m) => m.name === 'import_warnings')!.version;
    expect(version).toBe(16);
    migrate(db, migrations.filter((m) => m.version < version));
    db.prepare("INSERT INTO import_reports (file_name, format, at, lines, accepted, duplicates, rejected, error) VALUES ('vecchio.csv', 'csv', 1, 3, 2, 0, '[]', NULL)").run();
    expect(migrate(db)).toEqual(migrations.filter((m) => m.version >= version).map((m) => m.version));
    const repo = new ImportReportsRepo(db);
    expect(repo.list()[0]).toMatchObject({ fileName: 'vecchio.csv', accepted: 2, warnings: [] });
    repo.insert({ fileName: 'nuovo.jsonl', format: 'jsonl', at: 2, lines: 1, accepted: 1, duplicates: 0, rejected: [], warnings: [{ index: 0, line: 1, reason: 'x' }], error: null });
    expect(repo.list()[0]).toMatchObject({ fileName: 'nuovo.jsonl', warnings: [{ index: 0, line: 1, reason: 'x' }] });
  });
});

describe('future-dated mentions', () => {
  it('more than a day past the arrival, not a minute of clock skew', () => {
    const at = Date.parse('2026-12-06T10:00:00Z');
    expect(isFutureDated(at + 86_400_000, at)).toBe(false);
    expect(isFutureDated(at + 86_400_001, at)).toBe(true);
    expect(isFutureDated(at - 365 * 86_400_000, at)).toBe(false);
  });

  it('are stored with a warning naming the item, the others without; the import report lists their lines', async () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    const { app } = testApp({ now: () => now });
    const res = app.ingestWebhook([
      { source: 'S', external_id: 'a', text: 'oggi', published_at: '2026-12-06T09:00:00Z' },
      { source: 'S', external_id: 'b', text: 'domani e mezzo', published_at: '2026-12-07T22:00:00Z' },
      { source: 'S', text: '' },
    ]);
    expect(res).toMatchObject({ accepted: 2, rejected: [{ index: 2 }] });
    expect(res.warnings).toEqual([{ index: 1, reason: expect.stringMatching(/^data di pubblicazione nel futuro \(2026-12-07 22:00 UTC/) }]);
    const report = await importContent(app, 'f.jsonl', ['{"source":"S","external_id":"c","text":"x","published_at":"2027-01-01T00:00:00Z"}', '{"source":"S","external_id":"d","text":"y"}'].join('\n'), 'jsonl');
    expect(report.warnings).toEqual([{ index: 0, line: 1, reason: expect.stringContaining('2027-01-01 00:00 UTC') }]);
    expect(formatReport(report)).toMatch(/con avviso: 1\nAvvisi \(righe salvate\):\n {2}riga 1: data di pubblicazione nel futuro/);
  });

  it("the replay's closing report lists what was stored, refused and warned about, and the shift", () => {
    const text = formatReplaySummary(
      { total: 3, accepted: 2, duplicates: 0, rejected: [{ index: 1, line: 2, reason: 'JSON non valido' }], warnings: [{ index: 2, line: 3, reason: 'data nel futuro' }], shiftMs: (16 * 24 * 60 + 15) * 60_000 },
      true,
    );
    expect(text).toBe(
      'Riproduzione terminata: 3 righe\n  salvate:    2\n  duplicate:  0\n  scartate:   1\n  con avviso: 1\n  date spostate di +16 g 0 h 15 min\n' +
        '  riga 2: JSON non valido\nAvvisi (righe salvate):\n  riga 3: data nel futuro\n',
    );
  });

  it('the closing report is in the language the command line runs in', () => {
    setErrorLanguage('en');
    try {
      const text = formatReplaySummary({ total: 2, accepted: 1, duplicates: 0, rejected: [{ index: 1, line: 2, reason: 'invalid JSON' }], warnings: [], shiftMs: (24 * 60 + 5) * 60_000 }, true);
      expect(text).toBe('Replay finished: 2 rows\n  saved:      1\n  duplicates: 0\n  rejected:   1\n  dates shifted by +1 d 0 h 5 min\n  row 2: invalid JSON\n');
    } finally {
      setErrorLanguage('it');
    }
  });
});
