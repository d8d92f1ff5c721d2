// Secrets of notification channels (SMTP password, bot token, webhook URLs) encrypted at
// rest. Browser mode and the CLI have no OS keystore: a random key in the data folder
// (mode 0600) encrypts them with AES-256-GCM, so they never sit in plain text in the
// database or a backup of it — as strong as the folder's permissions, and the UI says so.
// A host with an OS keystore (Electron safeStorage) can pass its own SecretStore instead.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../sources/vault';

export const SECRET_KEY_FILE = 'secret.key';

export function localKeySecretStore(dataDir: string): SecretStore {
  const file = join(dataDir, SECRET_KEY_FILE);
  let key: Buffer | null = null;
  const getKey = (): Buffer => {
    if (key) return key;
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    const k = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (k.length !== 32) throw new Error(`${file}: chiave non valida`);
    key = k;
    return k;
  };
  return {
    backend: 'local_key',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(cipher) {
      const d = createDecipheriv('aes-256-gcm', getKey(), cipher.subarray(0, 12));
      d.setAuthTag(cipher.subarray(12, 28));
      return Buffer.concat([d.update(cipher.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
