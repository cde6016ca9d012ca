import { createServer, type Server } from "node:net";

/**
 * Distinct loopback ports that were free a moment ago (port-0 probe). All probes are held open
 * together so the same port is never returned twice; another process may still take one before
 * it is used, so callers retry on "Address already in use".
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenOnRandomPort(server));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

function listenOnRandomPort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error("port probe did not get a TCP address"));
      } else {
        resolve(address.port);
      }
    });
  });
}
