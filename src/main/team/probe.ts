// The first look at a team server, before the person confirmed anything: connect without a
// pin, read the certificate's fingerprint and the server's own description (GET /api/v1/team),
// and hand both to the renderer, which asks the person to compare the fingerprint with the one
// `vedetta serve` printed. Nothing secret is sent on this connection: no session, no password.
import { ApiError } from '../../shared/contract';
import { parseTeamUrl, TEAM_INFO_PATH, TeamInfoSchema, type TeamProbe } from '../../shared/workspace';
import { NoAnswerError, pinnedRequest } from './http';
import { NotConnectedError } from './pinned-socket';

export async function probeTeam(raw: string, opts: { path?: string; connectTimeoutMs?: number } = {}): Promise<TeamProbe> {
  const url = parseTeamUrl(raw);
  if (!url) throw new ApiError('team.badUrl');
  let answer;
  try {
    answer = await pinnedRequest({ origin: url, pin: null, method: 'GET', path: opts.path ?? TEAM_INFO_PATH, timeoutMs: 15_000, ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}) });
  } catch (err) {
    if (err instanceof NotConnectedError || err instanceof NoAnswerError) throw new ApiError('team.tlsFailed', { url, reason: reasonCode(err), detail: err.message.slice(0, 200) });
    throw err;
  }
  const info = answer.status === 200 ? TeamInfoSchema.safeParse(answer.body) : null;
  // A team server refuses a Host that is not its public name (an address typed by IP, say).
  if ((answer.body as { error?: { key?: unknown } } | null)?.error?.key === 'server.hostRefused') throw new ApiError('team.hostRefused', { url });
  if (!info?.success) throw new ApiError('team.notTeam', { url });
  return {
    url,
    fingerprint: answer.fingerprint,
    announced: info.data.fingerprint ?? null,
    publicUrl: info.data.publicUrl,
    publiclyTrusted: answer.publiclyTrusted,
  };
}

/** The system's reason as a catalogue code, worded in the person's language where it is shown. */
export function reasonCode(err: NotConnectedError | NoAnswerError): 'team.reasonRefused' | 'team.reasonDns' | 'team.reasonUnreachable' | 'team.reasonOther' {
  const code = err instanceof NotConnectedError ? err.code : null;
  if (code === 'ECONNREFUSED') return 'team.reasonRefused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'team.reasonDns';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'team.reasonUnreachable';
  return 'team.reasonOther';
}
