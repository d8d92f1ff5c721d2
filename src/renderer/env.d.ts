/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { VedettaBridge } from '../shared/transport/ipc';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    vedetta?: VedettaBridge;
  }
}

export {};
