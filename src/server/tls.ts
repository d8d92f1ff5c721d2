// The certificate of a team server (`vedetta serve --tls-cert/--tls-key` or
// `--tls-self-signed`). Checked before the server starts, so a wrong file is a clear message
// at the terminal rather than a TLS handshake that fails for every colleague later.
//
// The self-signed one is made once and kept in the data folder (tls/): its SHA-256
// fingerprint is what desktop clients pin at their first connection, so making a new one at
// each start would make every client refuse the server.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { ApiError } from '../shared/contract';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, "AB:CD:…" (Node's fingerprint256): what clients pin. */
  fingerprint: string;
  selfSigned: boolean;
  /** Names and addresses the certificate covers (its subjectAltName). */
  names: string[];
  validTo: Date;
}

/** Ten years: a pinned self-signed certificate that expires breaks every client at once. */
const SELF_SIGNED_YEARS = 10;

/** A certificate and key given by the administrator, checked as a pair. */
export function loadTls(certFile: string, keyFile: string, now: Date = new Date()): TlsMaterial {
  const cert = readPem(certFile, 'tls.certUnreadable');
  const key = readPem(keyFile, 'tls.keyUnreadable');
  return checkPair(cert, key, false, now, certFile);
}

/**
 * The data folder's self-signed certificate, made at the first start for `names` (the bind
 * address, the public URL's host, localhost). Later starts reuse it whatever the names, since
 * its fingerprint is pinned by clients; `uncovered` tells which names it does not list.
 */
export async function selfSignedTls(dataDir: string, names: string[], now: Date = new Date()): Promise<TlsMaterial & { created: boolean; uncovered: string[] }> {
  const dir = join(dataDir, 'tls');
  const certFile = join(dir, 'self-signed.crt');
  const keyFile = join(dir, 'self-signed.key');
  let created = false;
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const unique = [...new Set(names.filter((n) => n.length > 0))];
    const made = await generate([{ name: 'commonName', value: unique[0] ?? 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      notBeforeDate: new Date(now.getTime() - 60 * 60_000),
      notAfterDate: new Date(now.getTime() + SELF_SIGNED_YEARS * 365 * 24 * 3600_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: unique.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
      ],
    });
    // Key first and both through a rename: a crash between them leaves no half pair that
    // the next start would take for a whole one.
    writeAtomic(keyFile, made.private, 0o600);
    writeAtomic(certFile, made.cert, 0o644);
    created = true;
  }
  const material = checkPair(readPem(certFile, 'tls.certUnreadable'), readPem(keyFile, 'tls.keyUnreadable'), true, now, certFile);
  const uncovered = names.filter((n) => n.length > 0 && !covers(material.names, n));
  return { ...material, created, uncovered };
}

/** "AB:CD:…" of a PEM certificate. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function checkPair(cert: string, key: string, selfSigned: boolean, now: Date, certFile: string): TlsMaterial {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new ApiError('tls.certInvalid', { file: certFile });
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch {
    throw new ApiError('tls.keyInvalid');
  }
  if (!x509.checkPrivateKey(keyObject)) throw new ApiError('tls.keyMismatch', { file: certFile });
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() < now.getTime()) throw new ApiError('tls.certExpired', { file: certFile, date: validTo.toISOString().slice(0, 10) });
  return { cert, key, fingerprint: x509.fingerprint256, selfSigned, names: altNames(x509), validTo };
}

function readPem(file: string, code: 'tls.certUnreadable' | 'tls.keyUnreadable'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ApiError(code, { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
  }
}

/** "DNS:a, IP Address:1.2.3.4" → ["a", "1.2.3.4"]. */
function altNames(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^(DNS|IP Address):/, ''))
    .filter((s) => s.length > 0);
}

function covers(names: string[], name: string): boolean {
  const n = name.toLowerCase();
  return names.some((c) => {
    const have = c.toLowerCase();
    if (have === n) return true;
    // One wildcard label, as browsers read it: *.example.org covers a.example.org only.
    return have.startsWith('*.') && n.endsWith(have.slice(1)) && !n.slice(0, -have.length + 1).includes('.');
  });
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
