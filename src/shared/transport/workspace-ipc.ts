// The desktop app's workspace choice over Electron IPC, beside the contract's own channels
// (./ipc.ts): which workspace is open, a first look at a team server, the person's choice,
// and the link's state pushed from main. Answers travel as envelopes for the same reason as
// the contract's: a rejected Error loses its code crossing contextBridge.
import type { ApiErrorBody } from '../contract';
import type { TeamStatus, WorkspaceRequest } from '../workspace';

/** renderer → main: one WorkspaceRequest, answered with a WorkspaceResult. */
export const IPC_WORKSPACE_CHANNEL = 'vedetta:workspace';
/** main → renderer: WorkspaceSignal messages (the link's state, a session the server ended). */
export const IPC_WORKSPACE_SIGNAL_CHANNEL = 'vedetta:workspace-signal';

export type WorkspaceResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export type WorkspaceSignal = { kind: 'status'; status: TeamStatus } | { kind: 'sessionEnded' };

/** What the preload exposes as `window.vedetta.workspace`. */
export interface WorkspaceBridge {
  invoke(request: WorkspaceRequest): Promise<WorkspaceResult>;
  onSignal(listener: (signal: unknown) => void): () => void;
}
