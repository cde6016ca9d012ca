import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDashboard } from "./create-dashboard.js";
import type { DashboardOptions } from "./options.js";

/** Options of `serveDashboard`: the dashboard's, plus where to listen. */
export interface ServeDashboardOptions extends DashboardOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default "127.0.0.1" (loopback only; pass "0.0.0.0" to expose it) */
  readonly host?: string;
}

/** A running standalone dashboard server. */
export interface ServedDashboard {
  /** Where it answers, e.g. "http://127.0.0.1:39123/monitoring" (no trailing slash). */
  readonly url: string;
  /** Stops listening and closes open connections; the inspector stays open. */
  close(): Promise<void>;
}

/** Serves the dashboard on its own node:http server. */
export async function serveDashboard(options: ServeDashboardOptions): Promise<ServedDashboard> {
  const { port = 0, host = "127.0.0.1", ...dashboardOptions } = options;
  const dashboard = createDashboard(dashboardOptions);
  const server = createServer((req, res) => dashboard.handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${address.port}${dashboard.basePath}`,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
