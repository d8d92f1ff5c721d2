// Source credentials: sealed in the real SQLite file, never readable in its bytes; a wrong
// key or another backend gives a clear Italian error; the backend is reported for the UI.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/store/db';
import { migrations } from '../../src/core/store/migrations';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { SourceSecretsRepo } from '../../src/core/store/source-secrets-repo';
import { createLocalKeyStore, KEY_FILE, SecretDecryptError } from '../../src/core/sources/local-key-store';
import { createSourceVault, vaultWarning } from '../../src/core/sources/source-vault';
import { createVaultSecretStore } from '../../src/main/secret-store';
import { onClose, tempDir } from './support/core';

const SECRET = 'pw-MOLTO-segreta-0123456789';
const TOKEN = 'refresh-TOKEN-abcdefghijklmnop';

function setup(dataDir = tempDir()) {
  const file = join(dataDir, 'vedetta.db');
  const db = openDatabase(file);
  onClose(() => db.close());
  const sources = new SourcesRepo(db);
  const id = sources.ensure('webhook', 'Reddit brand', Date.now()).id;
  return { db, file, dataDir, id, repo: new SourceSecretsRepo(db) };
}

/** A stand-in for Electron's safeStorage with the same API (the real one needs a display and a keyring). */
function fakeSafeStorage(backend: string) {
  const key = 0x5a;
  return {
    isEncryptionAvailable: () => true,
    encryptString: (s: string) => Buffer.from([...Buffer.from(`v10${s}`, 'utf8')].map((b) => b ^ key)),
    decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ key)).toString('utf8').slice(3),
    getSelectedStorageBackend: () => backend as 'basic_text',
  };
}

describe('source vault', () => {
  it('the migration adds source_secrets and the flag columns on a database built by the real migrations', () => {
    const { db } = setup();
    const m = migrations.find((x) => x.name === 'social');
    expect(m).toBeDefined();
    const cols = db.prepare("SELECT name FROM pragma_table_info('mentions')").all() as { name: string }[];
    expect(cols.map((c) => c.name)).toEqual(expect.arrayContaining(['flag', 'flag_detail']));
    const t = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'source_secrets'").get();
    expect(t).toBeDefined();
  });

  it('local key: round trip, names only in clear, the plain secret never in the SQLite file bytes', () => {
    const { db, file, dataDir, id, repo } = setup();
    const vault = createSourceVault(repo, createLocalKeyStore(dataDir));
    expect(vault.backend).toBe('local_key');
    vault.put(id, { clientSecret: SECRET, refreshToken: TOKEN, password: '' });
    expect(vault.get(id)).toEqual({ clientSecret: SECRET, refreshToken: TOKEN });
    expect(vault.names(id)).toEqual(['clientSecret', 'refreshToken']);
    // Key file: created 0600 in the data folder.
    const keyFile = join(dataDir, KEY_FILE);
    expect(existsSync(keyFile)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // Every byte SQLite wrote: the main file after a checkpoint, and the WAL before it.
    const wal = `${file}-wal`;
    const walBytes = existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0);
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const bytes of [readFileSync(file), walBytes]) {
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
      expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    }
    // A second vault on the same folder (the next start) reads them back with the same key.
    const again = createSourceVault(repo, createLocalKeyStore(dataDir));
    expect(again.get(id).clientSecret).toBe(SECRET);
    vault.remove(id);
    expect(vault.get(id)).toEqual({});
    expect(vault.names(id)).toEqual([]);
  });

  it('a wrong key gives a clear Italian error, and nothing is lost until the user re-enters them', () => {
    const { dataDir, id, repo } = setup();
    createSourceVault(repo, createLocalKeyStore(dataDir)).put(id, { password: SECRET });
    writeFileSync(join(dataDir, KEY_FILE), Buffer.alloc(32, 7).toString('base64'));
    const vault = createSourceVault(repo, createLocalKeyStore(dataDir));
    expect(() => vault.get(id)).toThrow(SecretDecryptError);
    expect(() => vault.get(id)).toThrow(/Impossibile decifrare le credenziali.*Reinserisci/);
    expect(vault.names(id)).toEqual(['password']);
    vault.put(id, { password: 'nuova' });
    expect(vault.get(id)).toEqual({ password: 'nuova' });
    writeFileSync(join(dataDir, KEY_FILE), 'corto');
    expect(() => createSourceVault(repo, createLocalKeyStore(dataDir)).get(id)).toThrow(/danneggiato/);
  });

  it('a source deleted takes its credentials with it', () => {
    const { db, dataDir, id, repo } = setup();
    createSourceVault(repo, createLocalKeyStore(dataDir)).put(id, { apiKey: SECRET });
    db.prepare('DELETE FROM sources WHERE id = ?').run(id);
    expect(repo.get(id)).toBeNull();
  });

  it('desktop: safeStorage backends are reported, basic_text warns "solo offuscate", and a CLI cannot open desktop rows', () => {
    const { dataDir, id, repo } = setup();
    const weak = createVaultSecretStore(fakeSafeStorage('basic_text'), 'linux');
    expect(weak?.backend).toBe('basic_text');
    expect(vaultWarning('basic_text')).toMatch(/solo offuscate/);
    const strong = createVaultSecretStore(fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(strong?.backend).toBe('os');
    expect(createVaultSecretStore(fakeSafeStorage('unknown'), 'darwin')?.backend).toBe('os');
    expect(vaultWarning('os')).toBeNull();
    expect(createVaultSecretStore({ ...fakeSafeStorage('x'), isEncryptionAvailable: () => false }, 'linux')).toBeNull();
    const desktop = createSourceVault(repo, strong!);
    desktop.put(id, { accessToken: TOKEN });
    expect(desktop.get(id)).toEqual({ accessToken: TOKEN });
    expect(repo.get(id)?.backend).toBe('os');
    const cli = createSourceVault(repo, createLocalKeyStore(dataDir));
    expect(() => cli.get(id)).toThrow(/salvate con il portachiavi del sistema \(app desktop\)/);
  });

  it('core wires a local-key vault when the host gives no secret store', async () => {
    const { testApp } = await import('./support/core');
    const { app, dataDir } = testApp();
    const vault = (app as unknown as { vault: { backend: string } }).vault;
    expect(vault.backend).toBe('local_key');
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false); // created on first use only
  });
});
