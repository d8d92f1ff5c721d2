// The preload's side of the bridge, built from an ipcRenderer-like object so tests can
// connect it to the real main-side handler through an in-process stand-in.
import { isEventName, type EventName } from '../shared/contract';
import {
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  type IpcCallMessage,
  type IpcResult,
  type VedettaBridge,
} from '../shared/transport/ipc';
import { IPC_WORKSPACE_CHANNEL, IPC_WORKSPACE_SIGNAL_CHANNEL, type WorkspaceBridge, type WorkspaceResult } from '../shared/transport/workspace-ipc';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type IpcBridge = VedettaBridge & { dispose(): void };

export function createIpcBridge(ipc: IpcRendererLike): IpcBridge {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();

  const onEvent = (_event: unknown, msg: unknown): void => {
    if (typeof msg !== 'object' || msg === null) return;
    const { event, payload } = msg as { event?: unknown; payload?: unknown };
    if (!isEventName(event)) return;
    for (const l of listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };
  ipc.on(IPC_EVENT_CHANNEL, onEvent);

  return {
    async invoke(op: string, input: unknown, session?: string | null): Promise<IpcResult> {
      const msg: IpcCallMessage = { op, input: input ?? {}, session: typeof session === 'string' ? session : null };
      try {
        return (await ipc.invoke(IPC_CALL_CHANNEL, msg)) as IpcResult;
      } catch {
        // Only reached when main has no handler or the arguments could not be cloned. The
        // sandboxed preload carries no catalogue: the renderer words the code in its language.
        return { ok: false, error: { code: 'internal', key: 'transport.noMain', message: 'transport.noMain' } };
      }
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) return () => {};
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    dispose() {
      ipc.removeListener(IPC_EVENT_CHANNEL, onEvent);
      listeners.clear();
    },
  };
}

/**
 * The workspace channel's side of the bridge: requests go to main as they are (main validates
 * them), signals come back as unknown (the renderer validates them with the shared schema).
 */
export function createWorkspaceBridge(ipc: IpcRendererLike): WorkspaceBridge & { dispose(): void } {
  const listeners = new Set<(signal: unknown) => void>();
  const onSignal = (_event: unknown, msg: unknown): void => {
    for (const l of listeners) {
      try {
        l(msg);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };
  ipc.on(IPC_WORKSPACE_SIGNAL_CHANNEL, onSignal);
  return {
    async invoke(request): Promise<WorkspaceResult> {
      try {
        return (await ipc.invoke(IPC_WORKSPACE_CHANNEL, request)) as WorkspaceResult;
      } catch {
        return { ok: false, error: { code: 'internal', key: 'transport.noMain', message: 'transport.noMain' } };
      }
    },
    onSignal(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispose() {
      ipc.removeListener(IPC_WORKSPACE_SIGNAL_CHANNEL, onSignal);
      listeners.clear();
    },
  };
}
