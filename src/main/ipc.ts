// The main-side IPC adapter of the contract. Every message is checked twice before core
// sees it: the sender frame must be our renderer, and the arguments must be `{op, input}`;
// core's dispatcher then validates the op name and the input schema.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { CoreApp } from '../app/app';
import { toApiError } from '../core/api/dispatch';
import { ApiError } from '../shared/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type IpcEventMessage, type IpcResult } from '../shared/transport/ipc';

export type SenderFrame = IpcMainInvokeEvent['senderFrame'];
export type SenderCheck = (frame: SenderFrame) => boolean;

export interface SenderCheckOptions {
  /** file:// URL of out/renderer/index.html in production. */
  rendererFileUrl: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL), trusted only when set. */
  devServerUrl?: string | undefined;
}

/**
 * Trusts only the top frame showing our renderer: the built index.html (query and hash
 * ignored) or, in development, a page of the dev server's origin. Subframes, other files
 * and remote pages are refused.
 */
export function createSenderCheck({ rendererFileUrl, devServerUrl }: SenderCheckOptions): SenderCheck {
  const expected = new URL(rendererFileUrl);
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null;
  return (frame) => {
    if (!frame || typeof frame.url !== 'string') return false;
    if (frame.parent) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    if (devOrigin !== null && (url.protocol === 'http:' || url.protocol === 'https:')) return url.origin === devOrigin;
    return url.protocol === 'file:' && url.host === expected.host && url.pathname === expected.pathname;
  };
}

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type DispatchingApp = Pick<CoreApp, 'dispatch'>;

function isCallMessage(x: unknown): x is { op: string; input: unknown; session?: string | null } {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(x);
  if (!keys.every((k) => k === 'op' || k === 'input' || k === 'session')) return false;
  const session = (x as { session?: unknown }).session;
  if (session !== undefined && session !== null && (typeof session !== 'string' || session.length > 200)) return false;
  const op = (x as { op?: unknown }).op;
  return typeof op === 'string' && op.length > 0 && op.length <= 100;
}

const refused = (err: ApiError): IpcResult => ({ ok: false, error: err.toBody() });

export interface RegisterIpcOptions {
  ipcMain: IpcMainLike;
  app: DispatchingApp;
  isTrustedSender: SenderCheck;
  /** Where to note refused or failed calls. */
  log?: { warn(msg: string, extra?: Record<string, unknown>): void; error(msg: string, extra?: Record<string, unknown>): void };
  /**
   * Told of each call that succeeded, with the session it came with (the process follows a
   * settings change, and knows who is signed in on its window for their notifications).
   */
  afterCall?: (op: string, session: string | null) => void;
}

/** Registers `vedetta:call`; returns a function that removes it. */
export function registerIpc({ ipcMain, app, isTrustedSender, log, afterCall }: RegisterIpcOptions): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<IpcResult> => {
    if (!isTrustedSender(event.senderFrame)) {
      log?.warn('IPC refused: untrusted sender', { url: event.senderFrame?.url?.slice(0, 200) ?? null });
      return refused(new ApiError('ipc.untrustedSender'));
    }
    const [msg] = args;
    if (args.length !== 1 || !isCallMessage(msg)) {
      return refused(new ApiError('ipc.malformed'));
    }
    try {
      // Always a caller: IPC calls are never the trusted in-process kind.
      const value = await app.dispatch(msg.op, msg.input, { session: msg.session ?? null });
      afterCall?.(msg.op, msg.session ?? null);
      return { ok: true, value };
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.code === 'internal') log?.error('IPC call failed', { op: msg.op, err: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return refused(apiErr);
    }
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}

export type EventSink = Pick<WebContents, 'send' | 'isDestroyed'>;

/** Pushes every contract event to one window; returns the unsubscribe function. */
export function forwardEvents(app: Pick<CoreApp, 'events'>, target: EventSink): () => void {
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (target.isDestroyed()) {
      unsubscribe();
      return;
    }
    const msg: IpcEventMessage = { event, payload };
    target.send(IPC_EVENT_CHANNEL, msg);
  });
  return unsubscribe;
}

/** Asks one window to open a notification's subject (a click on its system notification). */
export function openNotificationIn(target: EventSink, n: { id: number; subject: { kind: 'mention' | 'moment' | 'response'; id: number } }): void {
  if (target.isDestroyed()) return;
  const msg: IpcEventMessage = { event: 'notifications.open', payload: { id: n.id, subject: n.subject } };
  target.send(IPC_EVENT_CHANNEL, msg);
}

/**
 * Asks one window to open a moment (a click on a crisis's system notification): sent on the
 * event channel as the local `moments.open` event, to this window only, never through core.
 */
export function openMomentIn(target: EventSink, id: number): void {
  if (target.isDestroyed()) return;
  const msg: IpcEventMessage = { event: 'moments.open', payload: { id } };
  target.send(IPC_EVENT_CHANNEL, msg);
}
