// What the desktop app does with the person's workspace choice: tells the renderer which
// workspace is open (and how its link is), takes a first look at a team server, and stores a
// new choice. A change of workspace restarts the app on it (`relaunch`): the local workspace's
// database, sources and webhook server, or the team link, are each opened only at start, so
// nothing of one is left running beside the other.
import { ApiError } from '../../shared/contract';
import { parseTeamUrl, TEAM_INFO_PATH, TeamInfoSchema, type TeamProbe, type WorkspaceState } from '../../shared/workspace';
import { writeChoice, type ChoiceRead } from './choice-file';
import { NoAnswerError, pinnedRequest } from './http';
import { NotConnectedError, PinMismatchError } from './pinned-socket';
import { probeTeam, reasonCode } from './probe';
import type { TeamClient } from './team-client';
import type { WorkspaceController } from './workspace-ipc';

export interface ControllerOptions {
  /** Electron's userData, where workspace.json lives. */
  dir: string;
  /** What was read at start. */
  read: ChoiceRead;
  /**
   * The local workspace already has people (it was in use before the choice existed): no
   * choice file then means «locale», and the person is not asked again.
   */
  existingLocal?: boolean;
  /** The open team link, in team mode. */
  team: Pick<TeamClient, 'status' | 'retry' | 'url' | 'pin'> | null;
  /** Restarts the app (Electron: app.relaunch() then app.exit()). Called after the answer is sent. */
  relaunch: () => void;
  probe?: (url: string) => Promise<TeamProbe>;
  connectTimeoutMs?: number;
}

export function createWorkspaceController(o: ControllerOptions): WorkspaceController {
  let read = o.read;
  const relaunchSoon = (): void => {
    // The renderer gets its answer first; then the app goes down and comes back on the new choice.
    setTimeout(o.relaunch, 150);
  };
  return {
    state(): WorkspaceState {
      if (o.team) {
        return {
          chosen: true,
          choice: { version: 1, kind: 'team', url: o.team.url, fingerprint: o.team.pin },
          problem: null,
          status: o.team.status(),
        };
      }
      return {
        chosen: read.kind === 'ok' || (read.kind === 'none' && o.existingLocal === true),
        choice: read.kind === 'ok' && read.choice.kind === 'local' ? read.choice : { version: 1, kind: 'local' },
        problem: read.kind === 'broken' ? 'broken' : read.kind === 'unreadable' ? 'unreadable' : null,
        status: null,
      };
    },
    probe: (url) => (o.probe ?? probeTeam)(url),
    async useLocal() {
      const choice = { version: 1, kind: 'local' } as const;
      writeChoice(o.dir, choice);
      read = { kind: 'ok', choice };
      // Already on the local workspace (the first run's choice): it goes on as it is.
      if (!o.team) return { relaunch: false };
      relaunchSoon();
      return { relaunch: true };
    },
    async useTeam(raw, fingerprint) {
      const url = parseTeamUrl(raw);
      // A certificate to pin on https; only a plain-HTTP server on this computer has none.
      if (!url || (fingerprint === null) !== url.startsWith('http:')) throw new ApiError('team.badUrl');
      // The fingerprint the person confirmed must be the one the server presents now: pinned
      // once more before it is stored, so a swap between the look and the click is refused too.
      let answer;
      try {
        answer = await pinnedRequest({ origin: url, pin: fingerprint, method: 'GET', path: TEAM_INFO_PATH, timeoutMs: 15_000, ...(o.connectTimeoutMs ? { connectTimeoutMs: o.connectTimeoutMs } : {}) });
      } catch (err) {
        if (err instanceof PinMismatchError) throw new ApiError('team.pinMismatch', { url, pinned: err.pinned, presented: err.presented });
        if (err instanceof NotConnectedError || err instanceof NoAnswerError) throw new ApiError('team.tlsFailed', { url, reason: reasonCode(err), detail: err.message.slice(0, 200) });
        throw err;
      }
      if (answer.status !== 200 || !TeamInfoSchema.safeParse(answer.body).success) throw new ApiError('team.notTeam', { url });
      // The local clock only dates the confirmation for the person; nothing compares it with the server's.
      writeChoice(o.dir, { version: 1, kind: 'team', url, fingerprint, confirmedAt: new Date().toISOString() });
      relaunchSoon();
      return { relaunch: true };
    },
    async retry() {
      await o.team?.retry();
    },
  };
}
