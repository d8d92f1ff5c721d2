// Encrypts credentials (API keys, OAuth tokens) with the OS keystore through Electron's
// safeStorage: Keychain on macOS, DPAPI on Windows, a secret service on Linux. On Linux
// without a secret service Electron falls back to a fixed key ('basic_text'): the data is
// then only obfuscated, and the UI must say so.
import type { SafeStorage } from 'electron';
import type { SecretStore as CoreSecretStore } from '../core/sources';
import { renderText } from '../shared/errors';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export interface SecretStoreStatus {
  available: boolean;
  /** True when secrets are merely obfuscated (Linux 'basic_text' backend). */
  weak: boolean;
  backend: string | null;
}

export interface SecretStore {
  /** Call after app 'ready': before it, Linux cannot tell which backend it will use. */
  status(): SecretStoreStatus;
  /** Plain text → base64 ciphertext, for storing in the database. */
  encrypt(plain: string): string;
  decrypt(cipherB64: string): string;
}

export class SecretStoreUnavailableError extends Error {
  constructor() {
    super(renderText('vault.osUnavailable'));
    this.name = 'SecretStoreUnavailableError';
  }
}

export function createSecretStore(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretStore {
  const status = (): SecretStoreStatus => {
    const available = safeStorage.isEncryptionAvailable();
    const backend = platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? null) : null;
    return { available, weak: backend === 'basic_text', backend };
  };
  return {
    status,
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) throw new SecretStoreUnavailableError();
      return safeStorage.encryptString(plain).toString('base64');
    },
    decrypt(cipherB64) {
      if (!safeStorage.isEncryptionAvailable()) throw new SecretStoreUnavailableError();
      return safeStorage.decryptString(Buffer.from(cipherB64, 'base64'));
    },
  };
}

/**
 * The desktop SecretStore for source credentials (core's interface): safeStorage, with the
 * backend named so the Sources view can warn when Linux fell back to 'basic_text'. Call
 * after app 'ready'. Null when safeStorage cannot encrypt at all: core then uses its local
 * key file, as in browser mode.
 */
export function createVaultSecretStore(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): CoreSecretStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const linuxBackend = platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? null) : null;
  return {
    backend: linuxBackend === 'basic_text' ? 'basic_text' : 'os',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
