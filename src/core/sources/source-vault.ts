// SourceVault over the source_secrets table and a SecretStore (safeStorage on desktop, the
// local key file in browser mode and CLI).
import { SourceSecretsSchema, type SourceSecrets } from '../../shared/sources';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { SourceSecretsRepo } from '../store/source-secrets-repo';
import { SecretDecryptError } from './local-key-store';
import type { SecretStore, SourceVault } from './vault';

export function createSourceVault(repo: SourceSecretsRepo, store: SecretStore, now: () => number = Date.now): SourceVault {
  return {
    backend: store.backend,
    put(sourceId, secrets) {
      const clean = SourceSecretsSchema.parse(secrets);
      const entries = Object.entries(clean).filter(([, v]) => typeof v === 'string' && v !== '');
      if (entries.length === 0) {
        repo.remove(sourceId);
        return;
      }
      const names = entries.map(([k]) => k).sort();
      repo.put({ sourceId, backend: store.backend, cipher: store.encrypt(JSON.stringify(Object.fromEntries(entries))), names, updatedAt: now() });
    },
    get(sourceId) {
      const row = repo.get(sourceId);
      if (!row) return {};
      // 'os' and 'basic_text' are both safeStorage: the desktop app opens either.
      const sameFamily = (a: string, b: string): boolean => a === b || (a !== 'local_key' && b !== 'local_key');
      if (!sameFamily(row.backend, store.backend)) {
        throw new SecretDecryptError('secrets.otherBackend', { backend: `backend.${row.backend}` });
      }
      let plain: string;
      try {
        plain = store.decrypt(row.cipher);
      } catch (e) {
        if (e instanceof SecretDecryptError) throw e;
        throw new SecretDecryptError('secrets.undecryptable');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(plain);
      } catch {
        throw new SecretDecryptError('secrets.unreadable');
      }
      const res = SourceSecretsSchema.safeParse(parsed);
      if (!res.success) throw new SecretDecryptError('secrets.unreadable');
      return res.data;
    },
    remove(sourceId) {
      repo.remove(sourceId);
    },
    names(sourceId) {
      const keys = SourceSecretsSchema.keyof().options;
      return (repo.get(sourceId)?.names ?? []).filter((n): n is keyof SourceSecrets => (keys as readonly string[]).includes(n));
    },
  };
}

/** What the Sources view tells the user about where credentials live. */
export function vaultWarning(backend: SecretStore['backend'], lang: ErrorLang = 'it'): string | null {
  if (backend === 'basic_text') return renderText('vault.basicText', {}, lang);
  if (backend === 'local_key') return renderText('vault.localKey', {}, lang);
  return null;
}
