// Preload (sandboxed, CommonJS): exposes the bridge as window.vedetta. Only two functions
// cross it; ipcRenderer itself never does. Calls resolve with {ok, value | error}
// envelopes because contextBridge would strip a rejected ApiError to its message; the
// renderer rebuilds the typed client with createBridgeClient (src/shared/transport).
import { contextBridge, ipcRenderer } from 'electron';
import type { VedettaBridge } from '../shared/transport/ipc';
import { createIpcBridge } from './ipc-client';

const bridge = createIpcBridge(ipcRenderer);

const exposed: VedettaBridge = {
  invoke: (op, input, session) => bridge.invoke(op, input, session),
  on: (event, listener) => bridge.on(event, listener),
};

contextBridge.exposeInMainWorld('vedetta', exposed);
