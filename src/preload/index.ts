// Preload (sandboxed, CommonJS): exposes the bridge as window.vedetta. Only two functions
// cross it, and the workspace channel's two (window.vedetta.workspace); ipcRenderer itself never does. Calls resolve with {ok, value | error}
// envelopes because contextBridge would strip a rejected ApiError to its message; the
// renderer rebuilds the typed client with createBridgeClient (src/shared/transport).
import { contextBridge, ipcRenderer } from 'electron';
import type { VedettaBridge } from '../shared/transport/ipc';
import type { WorkspaceBridge } from '../shared/transport/workspace-ipc';
import { createIpcBridge, createWorkspaceBridge } from './ipc-client';

const bridge = createIpcBridge(ipcRenderer);
const workspace = createWorkspaceBridge(ipcRenderer);

const exposed: VedettaBridge & { workspace: WorkspaceBridge } = {
  invoke: (op, input, session) => bridge.invoke(op, input, session),
  on: (event, listener) => bridge.on(event, listener),
  // Which workspace (local or team), the first look at a team server, the link's state.
  workspace: {
    invoke: (request) => workspace.invoke(request),
    onSignal: (listener) => workspace.onSignal(listener),
  },
};

contextBridge.exposeInMainWorld('vedetta', exposed);
