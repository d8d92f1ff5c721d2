// The contract suite over Electron IPC: the real main-side registration and the real
// preload client, joined by an in-process stand-in for ipcMain/ipcRenderer.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { createSenderCheck, forwardEvents, registerIpc } from '../../src/main/ipc';
import { createIpcBridge } from '../../src/preload/ipc-client';
import { createBridgeClient } from '../../src/shared/transport/bridge-client';
import { defineContractSuite } from './contract.suite';
import { adminSession, openTestApp, repoRoot } from './support/app';
import { createIpcStandIn } from './support/ipc-standin';

const rendererUrl = pathToFileURL(join(repoRoot, 'out/renderer/index.html')).href;

defineContractSuite('Electron IPC', async () => {
  const t = openTestApp('desktop');
  const ipc = createIpcStandIn(rendererUrl);
  const unregister = registerIpc({
    ipcMain: ipc.ipcMain,
    app: t.app,
    isTrustedSender: createSenderCheck({ rendererFileUrl: rendererUrl }),
  });
  const stopEvents = forwardEvents(t.app, ipc.webContents);
  // The same composition as the desktop app: preload bridge → renderer's typed client.
  const bridge = createIpcBridge(ipc.ipcRenderer);
  const session = await adminSession(t.app);
  const client = createBridgeClient(bridge, () => session);
  return {
    api: client,
    dataDir: t.dataDir,
    mode: 'desktop',
    // IPC has no webhook: mentions enter through core, as the desktop app's own sources do.
    async push(body) {
      return t.app.ingestWebhook(body);
    },
    async close() {
      bridge.dispose();
      stopEvents();
      unregister();
      t.dispose();
    },
  };
});
