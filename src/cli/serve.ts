// `vedetta serve`: browser mode and headless server. Owns the data folder (core's lock)
// until SIGINT/SIGTERM, then closes the server and the app in that order.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type CoreApp } from '../app/app';
import { startServer, type RunningServer } from '../server/index';
import { randomToken } from '../server/security';
import { loadTls, selfSignedTls, type TlsMaterial } from '../server/tls';
import { repoRendererDir } from '../server/user-data';
import { nodePlatform, said, stderrLogger, UsageError, type CliIo } from './io';
import { renderText } from '../shared/errors';

export const DEFAULT_PORT = 4870;

export interface ServeOptions {
  dataDir: string;
  host: string;
  port: number;
  /** HTTPS, which makes it a team server (sessions by cookie or Bearer, no per-run token). */
  tls?: ServeTls;
  /** The address colleagues open, when it is not https://<host>:<port> (a DNS name, a proxy). */
  publicUrl?: string;
  env: NodeJS.ProcessEnv;
  io: CliIo;
  /** Resolves when the process should stop (signals, in production). */
  stopSignal: Promise<string>;
  staticDir?: string;
}

export type ServeTls = { kind: 'files'; cert: string; key: string } | { kind: 'self-signed' } | null;

export async function serve(o: ServeOptions): Promise<number> {
  const { io } = o;
  const tls = o.tls ?? null;
  const token = o.env.VEDETTA_TOKEN || randomToken();
  // Webhook keys are made in Impostazioni → Webhook; this one, when set, is fixed at each start.
  const webhookToken = o.env.VEDETTA_WEBHOOK_TOKEN || undefined;
  if (token === webhookToken) {
    throw new UsageError('cli.tokensEqual');
  }
  // Plain HTTP only where nobody else listens: any other address needs a certificate.
  if (!isLoopback(o.host) && tls === null) {
    throw new UsageError('cli.hostNeedsTls', { host: o.host });
  }
  if (o.publicUrl !== undefined && (tls === null || !isPublicUrl(o.publicUrl))) {
    throw new UsageError('cli.publicUrlInvalid', { url: o.publicUrl });
  }

  // Serving without a built UI still makes sense (webhook, API, E2E of the API), so we warn
  // instead of failing; `npm start` builds the renderer before it calls us.
  const staticDir = o.staticDir ?? repoRendererDir;
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.err(said('output.noUi', { dir: staticDir }));
  }

  mkdirSync(o.dataDir, { recursive: true });
  // The certificate is checked before the workspace opens: a wrong file costs nothing to fix.
  const team = tls === null ? null : await teamCertificate(o, tls);
  const app: CoreApp = openApp({ platform: nodePlatform(o.dataDir, stderrLogger(io)), mode: 'browser' });
  let server: RunningServer;
  try {
    server = await startServer({
      app,
      host: o.host,
      port: o.port,
      staticDir,
      ...(team ? { team: { tls: team, ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}) } } : { token }),
      ...(webhookToken ? { webhookToken } : {}),
    });
  } catch (err) {
    app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      io.err(said('cli.portInUse', { port: o.port }));
      return 1;
    }
    throw err;
  }

  // Sources are polled only once the server answers, so their first events reach clients.
  app.startSources();

  // No secret is printed: the terminal keeps scrollback and logs, and the launcher's
  // Chromium arguments are visible in `ps`. Each address carries a one-time code instead of
  // the per-run token (src/server/open-codes.ts); webhook keys are made by administrators in
  // Settings (shown once), or fixed by whoever sets VEDETTA_WEBHOOK_TOKEN.
  const uiUrl = server.openUrl();
  io.out(
    [
      renderText(team ? 'output.readyTeam' : 'output.ready'),
      renderText('output.readyUi', { url: uiUrl }),
      ...(team
        ? [renderText('output.readyFingerprint', { fingerprint: team.fingerprint }), renderText(team.selfSigned ? 'output.readySelfSigned' : 'output.readyCertFiles')]
        : [renderText('output.readyUiOnce')]),
      renderText('output.readyWebhook', { url: server.webhookUrl }),
      renderText('output.readyToken'),
      renderText('output.readyData', { dir: o.dataDir }),
      renderText('output.readyStop'),
      `VEDETTA_READY ${JSON.stringify({ url: server.url, openUrl: server.openUrl(), webhookUrl: server.webhookUrl, dataDir: o.dataDir, pid: process.pid, ...(team ? { fingerprint: team.fingerprint } : {}) })}`,
      '',
    ].join('\n'),
  );

  const signal = await o.stopSignal;
  io.err(`\n${said('output.stopping', { signal })}`);
  try {
    await server.close();
  } finally {
    app.close();
  }
  return 0;
}

/** The team server's certificate: the administrator's pair, or the data folder's own. */
async function teamCertificate(o: ServeOptions, tls: Exclude<ServeTls, null>): Promise<TlsMaterial> {
  if (tls.kind === 'files') return loadTls(tls.cert, tls.key);
  const names = [o.host, 'localhost', '127.0.0.1'].filter((h) => h !== '0.0.0.0' && h !== '::');
  if (o.publicUrl) names.unshift(new URL(o.publicUrl).hostname.replace(/^\[|\]$/g, ''));
  const made = await selfSignedTls(o.dataDir, names);
  if (made.created) o.io.err(said('output.selfSignedMade', { dir: join(o.dataDir, 'tls') }));
  // Kept, not remade: its fingerprint is pinned by every desktop that connected.
  if (made.uncovered.length > 0) o.io.err(said('output.selfSignedNames', { names: made.uncovered.join(', ') }));
  return made;
}

function isPublicUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username && !u.password;
  } catch {
    return false;
  }
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

export function processStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
}
