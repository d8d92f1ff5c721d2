// Preload (sandboxed, CommonJS): exposes the typed client as window.vedetta. Only two
// functions cross the bridge; ipcRenderer itself never does.
import { contextBridge, ipcRenderer } from 'electron';
import type { VedettaApi } from '../shared/contract';
import { createIpcClient } from './ipc-client';

const client = createIpcClient(ipcRenderer);

// Note: contextBridge copies a rejected Error as a plain Error with its message only, so
// in the renderer an ApiError from here arrives without its class, code and details.
const api: VedettaApi = {
  call: (op, input) => client.call(op, input),
  on: (event, listener) => client.on(event, listener),
};

contextBridge.exposeInMainWorld('vedetta', api);
