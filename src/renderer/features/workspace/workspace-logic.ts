// The desktop workspace choice's plain logic, apart from components so it is unit-tested:
// reading what main sends (validated here, the renderer's edge), and the few words and shapes
// the screens show (a host, a fingerprint in readable lines, the link's state).
import { TeamProbeSchema, TeamStatusSchema, WorkspaceStateSchema, parseTeamUrl, type LinkState, type TeamProbe, type TeamStatus, type WorkspaceState } from '../../../shared/workspace';
import { z } from 'zod';

export const WorkspaceSignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), status: TeamStatusSchema }).strict(),
  z.object({ kind: z.literal('sessionEnded') }).strict(),
]);
export type ParsedSignal = z.infer<typeof WorkspaceSignalSchema>;

export function parseSignal(x: unknown): ParsedSignal | null {
  const r = WorkspaceSignalSchema.safeParse(x);
  return r.success ? r.data : null;
}
export function parseState(x: unknown): WorkspaceState | null {
  const r = WorkspaceStateSchema.safeParse(x);
  return r.success ? r.data : null;
}
export function parseProbe(x: unknown): TeamProbe | null {
  const r = TeamProbeSchema.safeParse(x);
  return r.success ? r.data : null;
}

/** host[:port] of a team URL, what the top bar and the messages name. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * A fingerprint in four lines of eight pairs: two people reading it aloud, or a person
 * comparing it with a terminal, find their place again.
 */
export function fingerprintLines(fp: string): string[] {
  const pairs = fp.split(':');
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 8) lines.push(pairs.slice(i, i + 8).join(':'));
  return lines;
}

/** What the address field holds, checked as main will check it (the same shared rule). */
export function checkUrl(raw: string): { url: string } | { error: 'team.badUrl' } {
  const url = parseTeamUrl(raw);
  return url ? { url } : { error: 'team.badUrl' };
}

export const STATE_KEYS: Record<LinkState, 'workspace.state.connecting' | 'workspace.state.online' | 'workspace.state.reconnecting' | 'workspace.state.pinRefused'> = {
  connecting: 'workspace.state.connecting',
  online: 'workspace.state.online',
  reconnecting: 'workspace.state.reconnecting',
  'pin-refused': 'workspace.state.pinRefused',
};

/** Seconds to the next try, rounded up (never "0 s" while one is still ahead). */
export function retrySeconds(status: TeamStatus): number | null {
  return status.retryInMs === null ? null : Math.max(1, Math.ceil(status.retryInMs / 1000));
}
