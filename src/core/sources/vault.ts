// Credentials of sources (Reddit client secret and password, Discourse API key, Mastodon
// token). Kept only encrypted, by the platform's secret store; never sent back to a client.
import type { SourceSecrets } from '../../shared/sources';

/**
 * How the host encrypts secrets. Desktop: Electron safeStorage (Keychain, DPAPI, libsecret;
 * on Linux without a secret service it is 'basic_text', a fixed key: obfuscation only, and
 * the user is told). Browser mode / CLI: a key file in the data folder (0600), also only
 * as strong as the folder's permissions, and said so.
 */
export interface SecretStore {
  readonly backend: 'os' | 'basic_text' | 'local_key';
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

/** Per-source credentials over a SecretStore; the SQL lives in the store layer. */
export interface SourceVault {
  put(sourceId: number, secrets: SourceSecrets): void;
  get(sourceId: number): SourceSecrets;
  remove(sourceId: number): void;
  /** Which names are set (never the values), for the edit form: "password: impostata". */
  names(sourceId: number): (keyof SourceSecrets)[];
  readonly backend: SecretStore['backend'];
}
