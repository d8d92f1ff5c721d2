// The desktop app's workspace choice: the file in userData (missing: first run; broken or not
// ours: the choice again, never a crash), the team address rule shared by main and renderer,
// fingerprints as people paste them, and the renderer's plain logic of the choice screens.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHOICE_FILE, readChoice, writeChoice } from '../../src/main/team/choice-file';
import { checkUrl, fingerprintLines, hostOf, parseSignal, retrySeconds } from '../../src/renderer/features/workspace/workspace-logic';
import { normalizeFingerprint, parseTeamUrl, WorkspaceChoiceSchema } from '../../src/shared/workspace';

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-ws-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
});

describe('the choice file', () => {
  it('is missing on the first run', () => {
    expect(readChoice(dir())).toEqual({ kind: 'none' });
  });

  it('round-trips a local and a team choice, written whole (no temporary file left)', () => {
    const d = dir();
    writeChoice(d, { version: 1, kind: 'local' });
    expect(readChoice(d)).toEqual({ kind: 'ok', choice: { version: 1, kind: 'local' } });
    const team = { version: 1, kind: 'team', url: 'https://vedetta.example.it:4870', fingerprint: FP, confirmedAt: '2026-12-07T20:00:00.000Z' } as const;
    writeChoice(d, team);
    expect(readChoice(d)).toEqual({ kind: 'ok', choice: team });
    expect(readdirSync(d)).toEqual([CHOICE_FILE]);
  });

  it('a broken file means the choice again, whatever is in it', () => {
    const d = dir();
    const cases = [
      '{ "version": 1, "kind": "team", "url": "https://x.example"', // cut short
      '',
      'null',
      '[]',
      '{"version":1,"kind":"team","url":"http://192.168.1.9:4870","fingerprint":null}', // plain HTTP off this computer
      `{"version":1,"kind":"team","url":"https://x.example","fingerprint":"${FP.toLowerCase()}"}`, // not Node's format
      `{"version":1,"kind":"team","url":"https://x.example/path","fingerprint":"${FP}"}`,
      `{"version":2,"kind":"local"}`,
      `{"version":1,"kind":"local","extra":true}`,
      '\u0000\u0001binary',
      `{"version":1,"kind":"local","pad":"${'x'.repeat(20_000)}"}`,
    ];
    for (const text of cases) {
      writeFileSync(join(d, CHOICE_FILE), text);
      expect(readChoice(d), text.slice(0, 60)).toEqual({ kind: 'broken' });
    }
  });

  it('a file that cannot be read is said so, not thrown', () => {
    const d = dir();
    mkdirSync(join(d, CHOICE_FILE)); // a folder where the file should be
    expect(readChoice(d)).toMatchObject({ kind: 'unreadable' });
  });

  it('refuses to write a choice that would not read back', () => {
    expect(() => writeChoice(dir(), { version: 1, kind: 'team', url: 'https://x.example', fingerprint: 'AB' })).toThrow();
    expect(WorkspaceChoiceSchema.safeParse(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'))).success).toBe(false);
  });
});

describe('team addresses and fingerprints', () => {
  it('keeps the origin of https addresses, and plain HTTP only on this computer', () => {
    expect(parseTeamUrl('https://vedetta.example.it:4870')).toBe('https://vedetta.example.it:4870');
    expect(parseTeamUrl(' vedetta.example.it:4870 ')).toBe('https://vedetta.example.it:4870');
    expect(parseTeamUrl('https://vedetta.example.it:4870/')).toBe('https://vedetta.example.it:4870');
    expect(parseTeamUrl('HTTPS://Vedetta.Example.it')).toBe('https://vedetta.example.it');
    expect(parseTeamUrl('http://127.0.0.1:4870')).toBe('http://127.0.0.1:4870');
    expect(parseTeamUrl('http://localhost:4870')).toBe('http://localhost:4870');
    for (const bad of ['http://vedetta.example.it', 'https://u:p@x.example', 'https://x.example/app', 'https://x.example/?a=1', 'ftp://x.example', 'javascript:alert(1)', '', 'https://', 'x'.repeat(400)]) {
      expect(parseTeamUrl(bad), bad).toBeNull();
    }
  });

  it('reads a fingerprint pasted in any case, with or without colons', () => {
    expect(normalizeFingerprint(FP.toLowerCase())).toBe(FP);
    expect(normalizeFingerprint(FP.replace(/:/g, ''))).toBe(FP);
    expect(normalizeFingerprint(FP.replace(/:/g, ' '))).toBe(FP);
    expect(normalizeFingerprint('AB:CD')).toBeNull();
    expect(normalizeFingerprint(`${FP}:00`)).toBeNull();
  });
});

describe('the renderer side', () => {
  it('shows a fingerprint in four lines of eight pairs', () => {
    const lines = fingerprintLines(FP);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('00:01:02:03:04:05:06:07');
    expect(lines.join(':')).toBe(FP);
  });

  it('checks the typed address as main will', () => {
    expect(checkUrl('vedetta.example.it')).toEqual({ url: 'https://vedetta.example.it' });
    expect(checkUrl('http://vedetta.example.it')).toEqual({ error: 'team.badUrl' });
    expect(hostOf('https://vedetta.example.it:4870')).toBe('vedetta.example.it:4870');
  });

  it('takes only well-formed signals from main', () => {
    const status = { state: 'reconnecting', url: 'https://x.example', pinned: FP, presented: null, attempt: 3, retryInMs: 2000 };
    expect(parseSignal({ kind: 'status', status })).toEqual({ kind: 'status', status });
    expect(parseSignal({ kind: 'sessionEnded' })).toEqual({ kind: 'sessionEnded' });
    expect(parseSignal({ kind: 'status', status: { ...status, state: 'hacked' } })).toBeNull();
    expect(parseSignal({ kind: 'status', status: { ...status, url: 'javascript:alert(1)' } })).toBeNull();
    expect(parseSignal('status')).toBeNull();
    expect(retrySeconds({ ...status, state: 'reconnecting', retryInMs: 1 })).toBe(1);
    expect(retrySeconds({ ...status, state: 'reconnecting', retryInMs: 2500 })).toBe(3);
    expect(retrySeconds({ ...status, state: 'online', retryInMs: null })).toBeNull();
  });
});
