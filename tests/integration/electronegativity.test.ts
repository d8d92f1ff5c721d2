// Electronegativity (Doyensec's Electron security scanner) over the source, offline: no
// finding of medium severity or above, unless the line carries an `eng-disable` comment
// saying why (the scanner's own exception syntax; our rule is that a reason stands beside it).
// The Electron version is given, not fetched: these machines cannot reach GitHub.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const electronVersion = pkg.devDependencies.electron?.replace(/^[^\d]*/, '') ?? '';

interface Finding {
  issue: string;
  severity: string;
  filename: string;
  location: string;
  sample: string;
}

function scan(): Finding[] {
  // A fresh folder each run: the scanner does not truncate a file it overwrites.
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-eneg-'));
  try {
    const out = join(dir, 'findings.csv');
    const r = spawnSync(join(root, 'node_modules/.bin/electronegativity'), ['-i', 'src', '-e', electronVersion, '-r', '-v', 'false', '-o', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    if (r.status !== 0) throw new Error(`electronegativity exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    const text = readFileSync(out, 'utf8');
    let rows: Record<string, string>[];
    try {
      rows = parse(text, { columns: true, trim: true, skip_empty_lines: true }) as Record<string, string>[];
    } catch (e) {
      // Seen once, under a loaded run, and not reproduced: the next time, the file says why.
      throw new Error(`${e instanceof Error ? e.message : String(e)}\nthe scanner wrote (${text.length} chars):\n${text.slice(0, 2_000)}`);
    }
    return rows.map((row) => ({ issue: row.issue ?? '', severity: row.severity ?? '', filename: row.filename ?? '', location: row.location ?? '', sample: row.sample ?? '' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Electronegativity', () => {
  it('finds nothing of medium severity or above in src/ (exceptions carry their reason)', () => {
    expect(electronVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const findings = scan();
    // The scan ran and read our files: the renderer's CSP is always reported (LOW, reviewed).
    expect(findings.some((f) => f.issue === 'CSP_GLOBAL_CHECK')).toBe(true);
    const serious = findings.filter((f) => ['MEDIUM', 'HIGH', 'CRITICAL'].includes(f.severity.toUpperCase()));
    expect(serious.map((f) => `${f.severity} ${f.issue} ${f.filename}:${f.location} ${f.sample}`)).toEqual([]);
  }, 300_000);

  it('every eng-disable exception in src/ says why on the same line', () => {
    const r = spawnSync('grep', ['-rn', 'eng-disable', 'src'], { cwd: root, encoding: 'utf8' });
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      // `eng-disable CHECK_A CHECK_B: why`, or a comment on the line above (checked by hand).
      const reasonHere = /eng-disable[\w \t]+:\s*\S/.test(l);
      const [file, no] = l.split(':');
      const above = readFileSync(join(root, file ?? ''), 'utf8').split('\n')[Number(no) - 2] ?? '';
      expect(reasonHere || /^\s*\/\//.test(above), l).toBe(true);
    }
  });
});
