// The real `vedetta` command, spawned as a user would run it: import reports, export and
// status beside a running server, the data-folder lock, the readiness line.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMentions, startVedetta, type VedettaInstance } from '../support/vedetta-process';
import { tempDir } from './support/app';
import { main } from '../../src/cli/main';
import { vedetta } from './support/cli';

const line = (i: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    source: 'CLI test',
    external_id: `cli-${i}`,
    text: `Riga ${i}: il caffè è ottimo`,
    published_at: `2026-11-20T10:00:${String(i).padStart(2, '0')}Z`,
    lang: 'it',
    ...extra,
  });

describe('vedetta CLI', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('usage errors exit 2 with an Italian message', async () => {
    const r = await vedetta(['frulla']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Comando sconosciuto: frulla/);
    const r2 = await vedetta(['import', '--data', fresh()]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/Manca un argomento/);
    const r3 = await vedetta(['serve', '--port', 'abc', '--data', fresh()]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--port/);
    const help = await vedetta(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Uso:/);
  });

  it('errors follow VEDETTA_LANG, else the locale, and are Italian unless English is asked', { timeout: 120_000 }, async () => {
    const italian = "Errore: Comando sconosciuto: frulla\nUsa `vedetta help` per l'elenco dei comandi.\n";
    const english = 'Error: Unknown command: frulla\nUse `vedetta help` for the list of commands.\n';
    // The language choice, through the real entry point in this process (a spawn costs seconds).
    const stderrOf = async (env: NodeJS.ProcessEnv): Promise<string> => {
      let err = '';
      expect(await main(['frulla'], { env, io: { out: () => {}, err: (t) => void (err += t) } })).toBe(2);
      return err;
    };
    expect(await stderrOf({})).toBe(italian);
    expect(await stderrOf({ VEDETTA_LANG: 'en' })).toBe(english);
    expect(await stderrOf({ LANG: 'en_GB.UTF-8' })).toBe(english);
    expect(await stderrOf({ LC_ALL: 'C.UTF-8', LANG: 'en_GB.UTF-8' })).toBe(italian);
    expect(await stderrOf({ LANG: 'C.UTF-8' })).toBe(italian);
    expect(await stderrOf({ VEDETTA_LANG: 'it', LANG: 'en_GB.UTF-8' })).toBe(italian);
    // The real command: a core error in English, with its lines listed under it.
    const bad = await vedetta(['sources', 'add', '--kind', 'rss', '--url', 'not a url', '--data', fresh()], { VEDETTA_LANG: 'en' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Error: Invalid source settings:\n {2}- /);
    expect(bad.stderr).toMatch(/Use `vedetta help` for the list of commands\.\n$/);
  });

  it('import prints the report with each bad line and why; good lines are stored', async () => {
    const data = fresh();
    const file = join(data, 'menzioni.jsonl');
    writeFileSync(file, [line(1), '{"source": "CLI test", "text": ', line(2), JSON.stringify({ text: 'senza fonte' }), line(3), ''].join('\n'));
    const r = await vedetta(['import', file, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accettate:\s+3/);
    expect(r.stdout).toMatch(/scartate:\s+2/);
    expect(r.stdout).toMatch(/riga 2: /);
    expect(r.stdout).toMatch(/riga 4: .*source/);

    // Importing again stores nothing twice.
    const again = await vedetta(['import', file, '--data', data]);
    expect(again.stdout).toMatch(/accettate:\s+0/);
    expect(again.stdout).toMatch(/duplicate:\s+3/);

    const status = await vedetta(['status', '--format', 'json', '--data', data]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ mentions: 3, lockedBy: null });
  });

  it('import of a file that cannot be read exits 1', async () => {
    const r = await vedetta(['import', join(fresh(), 'nope.jsonl'), '--data', fresh()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/non esiste/);
  });

  it('status of a folder that does not exist exits 1', async () => {
    const r = await vedetta(['status', '--data', join(fresh(), 'missing')]);
    expect(r.code).toBe(1);
  });

  describe('beside a running serve', () => {
    let v: VedettaInstance;
    let data: string;
    beforeAll(async () => {
      data = fresh();
      v = await startVedetta({ dataDir: data });
      const res = await postMentions(v, [1, 2, 3, 4].map((i) => JSON.parse(line(i, { text: `Esportami ${i}, "virgolette", e a capo\nqui` })) as unknown));
      expect(res.status).toBe(202);
    });
    afterAll(async () => {
      await v.stop();
    });

    it('serve printed VEDETTA_READY, a one-time UI address and the webhook, and no secret', () => {
      const out = v.output();
      expect(out).toMatch(/VEDETTA_READY \{/);
      expect(out).toMatch(/Interfaccia: +http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]{20,}/);
      expect(v.openUrl).toMatch(/\/#code=[\w-]{20,}$/);
      expect(out).toContain(v.webhookUrl);
      expect(out).not.toContain(v.token);
      expect(out).not.toContain(v.webhookToken);
    });

    it('export jsonl to stdout works while the server runs', async () => {
      const r = await vedetta(['export', 'mentions', '--data', data]);
      expect(r.code, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string });
      expect(rows).toHaveLength(4);
      expect(rows.some((m) => m.text.includes('Esportami 3'))).toBe(true);
    });

    it('export csv to a file works while the server runs', async () => {
      const out = join(data, 'export.csv');
      const r = await vedetta(['export', 'mentions', '--format', 'csv', '--out', out, '--data', data]);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
      const csv = readFileSync(out, 'utf8');
      expect(csv).toContain('Esportami 2');
      expect(csv.split('\n')[0]).toMatch(/text/);
      expect(r.stderr).toMatch(/Esportate 4 menzioni/);
    });

    it('status reports the running instance', async () => {
      const r = await vedetta(['status', '--format', 'json', '--data', data]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ mentions: 4, lockedBy: v.pid });
      const text = await vedetta(['status', '--data', data]);
      expect(text.stdout).toMatch(/Menzioni:\s+4/);
    });

    it('a second serve on the same folder fails with a clear message', async () => {
      const r = await vedetta(['serve', '--port', '0', '--data', data]);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/VEDETTA_READY/);
      expect(r.stderr.trim().length).toBeGreaterThan(10);
      expect(r.stderr).toContain(String(v.pid));
    });

    it('an import while the server owns the folder is refused, not corrupting anything', async () => {
      const file = join(data, 'altro.jsonl');
      writeFileSync(file, `${line(50)}\n`);
      const r = await vedetta(['import', file, '--data', data]);
      expect(r.code).toBe(1);
      const status = await vedetta(['status', '--format', 'json', '--data', data]);
      expect(JSON.parse(status.stdout)).toMatchObject({ mentions: 4 });
    });
  });
});
