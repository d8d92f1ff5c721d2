// An in-process stand-in for Electron's ipcMain / ipcRenderer / webContents pair, since
// Electron cannot run on these machines. It copies every message with structuredClone (as
// IPC does), delivers asynchronously, and hands handlers a configurable senderFrame.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { IpcRendererLike } from '../../../src/preload/ipc-client';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export interface IpcStandIn {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  ipcRenderer: IpcRendererLike;
  webContents: Pick<WebContents, 'send' | 'isDestroyed'>;
  /** The frame the next invoke() claims to come from. */
  frame: FakeFrame;
  handlerCount(): number;
  destroy(): void;
}

export function createIpcStandIn(frameUrl: string): IpcStandIn {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<RendererListener>>();
  let destroyed = false;

  const standIn: IpcStandIn = {
    frame: { url: frameUrl, parent: null },
    ipcMain: {
      handle(channel: string, listener: Handler) {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, listener);
      },
      removeHandler(channel: string) {
        handlers.delete(channel);
      },
    } as Pick<IpcMain, 'handle' | 'removeHandler'>,
    ipcRenderer: {
      async invoke(channel, ...args) {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`);
        const event = { senderFrame: standIn.frame, sender: standIn.webContents } as unknown as IpcMainInvokeEvent;
        const result = await handler(event, ...structuredClone(args));
        return structuredClone(result);
      },
      on(channel, listener) {
        let set = listeners.get(channel);
        if (!set) listeners.set(channel, (set = new Set()));
        set.add(listener);
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
      },
    },
    webContents: {
      send(channel: string, ...args: unknown[]) {
        const copy = structuredClone(args);
        setImmediate(() => {
          for (const l of listeners.get(channel) ?? []) l({ sender: 'ipcRenderer' }, ...copy);
        });
      },
      isDestroyed: () => destroyed,
    },
    handlerCount: () => handlers.size,
    destroy() {
      destroyed = true;
    },
  };
  return standIn;
}
