// Browser mode and CLI have no OS keystore: credentials are sealed with AES-256-GCM under a
// random key kept in the data folder (secrets.key, created 0600). That protects them from
// anyone who gets the database alone (a copied vedetta.db, a backup, an export), not from
// someone who can read the whole folder as the user — the UI says so.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ApiError } from '../../shared/contract';
import { loadOrCreateKeyFile } from '../key-file';
import type { ErrorParams } from '../../shared/errors';
import type { SecretStore } from './vault';

export const KEY_FILE = 'secrets.key';
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value could not be opened: wrong key, another backend, or damaged bytes. */
/** Stored credentials that cannot be opened: said to people (source health, the test). */
export class SecretDecryptError extends ApiError {
  constructor(key: `secrets.${'otherBackend' | 'undecryptable' | 'unreadable' | 'unknownFormat' | 'keyFileDamaged' | 'wrongKey'}`, params: ErrorParams = {}) {
    super(key, params);
    this.name = 'SecretDecryptError';
  }
}

function loadOrCreateKey(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  const key = loadOrCreateKeyFile(path);
  if (key.length !== 32) {
    throw new SecretDecryptError('secrets.keyFileDamaged', { path });
  }
  return key;
}

export function sealWithKey(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function openWithKey(key: Buffer, sealed: Buffer): string {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
    throw new SecretDecryptError('secrets.unknownFormat');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(body), d.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptError('secrets.wrongKey', { file: KEY_FILE });
  }
}

export function createLocalKeyStore(dataDir: string): SecretStore {
  let key: Buffer | null = null;
  // Created on first use: a workspace without credentials gets no key file.
  const k = (): Buffer => (key ??= loadOrCreateKey(dataDir));
  return {
    backend: 'local_key',
    encrypt: (plain) => sealWithKey(k(), plain),
    decrypt: (cipher) => openWithKey(k(), cipher),
  };
}
