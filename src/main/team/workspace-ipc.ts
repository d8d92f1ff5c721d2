// The main side of the workspace channel (IPC_WORKSPACE_CHANNEL): the same sender check as the
// contract's channel (src/main/ipc.ts), then the request validated by the shared schema before
// the controller sees it. Answers are envelopes, as on the contract's channel.
import type { IpcMainInvokeEvent } from 'electron';
import { toApiError } from '../../core/api/dispatch';
import { ApiError } from '../../shared/contract';
import { IPC_WORKSPACE_CHANNEL, IPC_WORKSPACE_SIGNAL_CHANNEL, type WorkspaceResult, type WorkspaceSignal } from '../../shared/transport/workspace-ipc';
import { WorkspaceRequestSchema, type TeamProbe, type WorkspaceState } from '../../shared/workspace';
import type { EventSink, IpcMainLike, SenderCheck } from '../ipc';

export interface WorkspaceController {
  state(): WorkspaceState;
  probe(url: string): Promise<TeamProbe>;
  /** Resolves once the choice is stored; `relaunch`: the app restarts on it (the window goes away). */
  useLocal(): Promise<{ relaunch: boolean }>;
  useTeam(url: string, fingerprint: string | null): Promise<{ relaunch: boolean }>;
  /** Resolves once the try is over. */
  retry(): Promise<void>;
}

export interface RegisterWorkspaceIpcOptions {
  ipcMain: IpcMainLike;
  isTrustedSender: SenderCheck;
  controller: WorkspaceController;
  log?: { warn(msg: string, extra?: Record<string, unknown>): void };
}

const refused = (err: ApiError): WorkspaceResult => ({ ok: false, error: err.toBody() });

export function registerWorkspaceIpc({ ipcMain, isTrustedSender, controller, log }: RegisterWorkspaceIpcOptions): () => void {
  ipcMain.handle(IPC_WORKSPACE_CHANNEL, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<WorkspaceResult> => {
    if (!isTrustedSender(event.senderFrame)) {
      log?.warn('IPC refused: untrusted sender', { channel: IPC_WORKSPACE_CHANNEL, url: event.senderFrame?.url?.slice(0, 200) ?? null });
      return refused(new ApiError('ipc.untrustedSender'));
    }
    const parsed = args.length === 1 ? WorkspaceRequestSchema.safeParse(args[0]) : null;
    if (!parsed?.success) return refused(new ApiError('team.workspaceMalformed'));
    const req = parsed.data;
    try {
      switch (req.action) {
        case 'get':
          return { ok: true, value: controller.state() };
        case 'probe':
          return { ok: true, value: await controller.probe(req.url) };
        case 'useLocal':
          return { ok: true, value: await controller.useLocal() };
        case 'useTeam':
          return { ok: true, value: await controller.useTeam(req.url, req.fingerprint) };
        case 'retry':
          await controller.retry();
          return { ok: true, value: controller.state() };
      }
    } catch (err) {
      return refused(toApiError(err));
    }
  });
  return () => ipcMain.removeHandler(IPC_WORKSPACE_CHANNEL);
}

/** Pushes a workspace signal (the link's state, a session the server ended) to one window. */
export function sendWorkspaceSignal(target: EventSink, signal: WorkspaceSignal): void {
  if (target.isDestroyed()) return;
  target.send(IPC_WORKSPACE_SIGNAL_CHANNEL, signal);
}
