// A plain HTTP server on 127.0.0.1 for tests that play a remote service (a feed host, an
// API). It tracks its sockets so close() ends even with a request still hanging (drip,
// silence, half-sent bodies), which a bare server.close() would wait on forever.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalServer {
  /** http://127.0.0.1:PORT */
  base: string;
  close(): Promise<void>;
}

export async function startLocalServer(route: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(route);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
