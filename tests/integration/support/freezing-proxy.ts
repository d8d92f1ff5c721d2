// A TCP relay that can freeze: bytes stop flowing both ways and new connections hang, but
// nothing is closed — a laptop lid shut, a Wi-Fi that changed network. No FIN, no RST: only
// silence, which a client must notice by itself.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FreezingProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startFreezingProxy(targetPort: number): Promise<FreezingProxy> {
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const waiting = new Set<Socket>();
  const relay = (client: Socket): void => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };
  const server: Server = createServer((client) => {
    if (frozen) {
      waiting.add(client);
      client.on('error', () => client.destroy());
      return;
    }
    relay(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      frozen = true;
      for (const [a, b] of pairs) {
        a.pause();
        b.pause();
      }
    },
    thaw() {
      frozen = false;
      // The old connections stay dead, as after a real outage; new ones flow again.
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      for (const c of waiting) c.destroy();
      waiting.clear();
    },
    async close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      for (const c of waiting) c.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
