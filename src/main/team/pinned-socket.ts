// The one way the desktop app opens a connection to a team server: a socket whose TLS
// certificate is checked against the pinned SHA-256 fingerprint BEFORE anything is written on
// it. The HTTPS calls and the event WebSocket are then made over that very socket (Node's
// `createConnection`), so no request — and no session token — can leave on a connection whose
// certificate was not the pinned one.
//
// Why not Node's usual verification: a team server's certificate is often self-signed
// (`vedetta serve --tls-self-signed`), which no authority vouches for, and even a certificate
// a public authority does vouch for must not replace the pinned one silently. So the chain is
// not what decides; the pin is. `checkServerIdentity` would not do: Node calls it only when the
// chain verified, and with `rejectUnauthorized` it never sees a self-signed certificate.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export const CONNECT_TIMEOUT_MS = 8_000;

/** The server presented another certificate than the pinned one. Nothing was sent. */
export class PinMismatchError extends Error {
  constructor(
    readonly pinned: string,
    readonly presented: string,
  ) {
    super(`certificate fingerprint ${presented} is not the pinned ${pinned}`);
    this.name = 'PinMismatchError';
  }
}

/** The connection could not be made (refused, unreachable, timed out, TLS failed): nothing was sent. */
export class NotConnectedError extends Error {
  constructor(
    readonly reason: string,
    readonly code: string | null,
  ) {
    super(reason);
    this.name = 'NotConnectedError';
  }
}

export interface PinnedConnection {
  socket: Socket | TLSSocket;
  /** The certificate's fingerprint (null over loopback HTTP, which has none). */
  fingerprint: string | null;
  /** Whether the chain also verified against the system's authorities (informative only). */
  publiclyTrusted: boolean;
}

/**
 * Connects to `origin` (https://host:port, or http:// on loopback) and checks the pin.
 * `pin` null: the first look, before the person confirmed anything — the fingerprint is
 * returned to be shown, and the caller must not send secrets on it.
 */
export function connectPinned(origin: string, pin: string | null, timeoutMs = CONNECT_TIMEOUT_MS): Promise<PinnedConnection> {
  const url = new URL(origin);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  return new Promise<PinnedConnection>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new NotConnectedError(`no answer within ${Math.round(timeoutMs / 1000)} s`, 'ETIMEDOUT')), timeoutMs);
    const onError = (err: NodeJS.ErrnoException): void => fail(new NotConnectedError(err.message, err.code ?? null));
    let socket: Socket | TLSSocket;
    if (!secure) {
      socket = netConnect({ host, port });
      socket.once('error', onError);
      socket.once('connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeListener('error', onError);
        // Until the caller's request takes the socket, a reset must not be an uncaught 'error'.
        socket.on('error', () => {});
        resolve({ socket, fingerprint: null, publiclyTrusted: false });
      });
      return;
    }
    const tls = tlsConnect({
      host,
      port,
      // SNI takes names only; an address is sent without it.
      ...(isIP(host) ? {} : { servername: host }),
      // The pin decides (see the top of this file); Node's verdict is kept as information.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    socket = tls;
    tls.once('error', onError);
    tls.once('secureConnect', () => {
      if (settled) return;
      const fingerprint = tls.getPeerCertificate().fingerprint256;
      if (typeof fingerprint !== 'string' || fingerprint.length === 0) return fail(new NotConnectedError('the server presented no certificate', 'ENOCERT'));
      if (pin !== null && fingerprint !== pin) return fail(new PinMismatchError(pin, fingerprint));
      settled = true;
      clearTimeout(timer);
      tls.removeListener('error', onError);
      tls.on('error', () => {});
      resolve({ socket: tls, fingerprint, publiclyTrusted: tls.authorized });
    });
  });
}
