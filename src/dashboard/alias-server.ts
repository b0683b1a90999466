import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

const IDLE_REAP_INTERVAL_MS = 50;

export interface DashboardAlias {
  /** The port actually listened on (useful when 0 asked for any free one). */
  port: number;
  close(): Promise<void>;
}

/**
 * A second listener for the same application: the dashboard's pages are served on
 * DASHBOARD_PORT (3000) as well as on the API's port. Every request is handed to the API's own
 * request handler, so both ports give exactly the same answers (the pages call /dashboard/api on
 * whichever origin they were loaded from, and its session cookie is shared: cookies ignore ports).
 */
export async function listenDashboardAlias(
  app: FastifyInstance,
  port: number,
  host: string,
): Promise<DashboardAlias> {
  const server = createServer((request, response) => {
    app.server.emit('request', request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Idle keep-alive connections would hold the close open; busy ones are closed as soon as
        // their response is out, hence the reaping until the server has closed.
        const reaper = setInterval(() => server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
        server.close(() => {
          clearInterval(reaper);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
