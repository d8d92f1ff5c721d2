/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { VedettaBridge } from '../shared/transport/ipc';
import type { WorkspaceBridge } from '../shared/transport/workspace-ipc';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    vedetta?: VedettaBridge & { workspace?: WorkspaceBridge };
  }
}

export {};
