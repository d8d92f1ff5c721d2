// The contract suite over the real HTTP + WebSocket server on 127.0.0.1, through the same
// client the browser UI uses.
import WebSocket from 'ws';
import { startServer } from '../../src/server/index';
import { createHttpClient, type FetchFn, type WebSocketCtor } from '../../src/shared/transport/http-client';
import type { IngestResult } from '../../src/shared/schemas';
import { defineContractSuite } from './contract.suite';
import { adminSession, openTestApp } from './support/app';

defineContractSuite('HTTP + WebSocket', async () => {
  const t = openTestApp('browser');
  const token = 'ui-token-contract';
  const webhookToken = 'wh-token-contract';
  const server = await startServer({ app: t.app, port: 0, token, webhookToken });
  const session = await adminSession(t.app);
  const client = createHttpClient({
    baseUrl: server.url,
    token,
    session: () => session,
    fetch: globalThis.fetch as unknown as FetchFn,
    WebSocket: WebSocket as unknown as WebSocketCtor,
  });
  await client.ready;
  return {
    api: client,
    dataDir: t.dataDir,
    mode: 'browser',
    async push(body) {
      const res = await fetch(server.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${webhookToken}` },
        body: JSON.stringify(body),
      });
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as IngestResult;
    },
    async close() {
      client.close();
      await server.close();
      t.dispose();
    },
  };
});
