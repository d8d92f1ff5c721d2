// The typed client over Electron IPC, built from an ipcRenderer-like object so tests can
// connect it to the real main-side handler through an in-process stand-in.
import {
  ApiError,
  ApiErrorSchema,
  isEventName,
  type EventName,
  type EventPayload,
  type OpInput,
  type OpName,
  type OpOutput,
  type VedettaApi,
} from '../shared/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type IpcCallMessage } from '../shared/transport/ipc';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type IpcClient = VedettaApi & { dispose(): void };

/** Turns main's `{ok, value}` / `{ok:false, error}` envelope back into a value or an ApiError. */
export function unwrapResult(res: unknown): unknown {
  if (typeof res === 'object' && res !== null) {
    const r = res as { ok?: unknown; value?: unknown; error?: unknown };
    if (r.ok === true) return r.value;
    if (r.ok === false) {
      const parsed = ApiErrorSchema.safeParse(r.error);
      if (parsed.success) throw new ApiError(parsed.data.code, parsed.data.message, parsed.data.details);
    }
  }
  throw new ApiError('internal', 'Risposta non valida dal processo principale.');
}

export function createIpcClient(ipc: IpcRendererLike): IpcClient {
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
    async call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
      const msg: IpcCallMessage = { op, input: input ?? {} };
      let res: unknown;
      try {
        res = await ipc.invoke(IPC_CALL_CHANNEL, msg);
      } catch {
        // Only reached when main has no handler or the arguments could not be cloned.
        throw new ApiError('internal', 'Il processo principale non ha risposto.');
      }
      return unwrapResult(res) as OpOutput<K>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    dispose() {
      ipc.removeListener(IPC_EVENT_CHANNEL, onEvent);
      listeners.clear();
    },
  };
}
