// The contract over Electron IPC, shared by main (handler) and preload (client). Errors
// travel as data: an Error thrown by an ipcMain handler reaches the renderer as a bare
// message, losing its code and details, so handlers always resolve with an envelope.
import type { ApiErrorBody } from '../contract';

/** renderer → main: `{ op, input, session }`, answered with an IpcResult. */
export const IPC_CALL_CHANNEL = 'vedetta:call';
/** main → renderer: `{ event, payload }` for every contract event. */
export const IPC_EVENT_CHANNEL = 'vedetta:event';

export interface IpcCallMessage {
  op: string;
  input: unknown;
  /** The signed-in person's session token; null before sign-in. */
  session: string | null;
}

export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export interface IpcEventMessage {
  event: string;
  payload: unknown;
}

/**
 * What the preload exposes as `window.vedetta`: calls resolve with the envelope, never
 * reject, because contextBridge strips a rejected Error down to its message.
 */
export interface VedettaBridge {
  invoke(op: string, input: unknown, session?: string | null): Promise<IpcResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
