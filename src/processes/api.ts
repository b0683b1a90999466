import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/app.js';
import { listenDashboardAlias } from '../dashboard/alias-server.js';
import type { Runtime } from '../runtime.js';
import type { Closer } from './lifecycle.js';

const IDLE_REAP_INTERVAL_MS = 50;

/** Serves the API on PORT and DASHBOARD_PORT; the closer stops accepting, lets in-flight requests finish. */
export async function serveApi(rt: Runtime): Promise<Closer> {
  const app = await buildApi(rt);
  await app.listen({ port: rt.config.PORT, host: rt.config.HOST });
  // The dashboard's pages also answer on DASHBOARD_PORT (3000), as the contract names it.
  const alias =
    rt.config.DASHBOARD_PORT === rt.config.PORT
      ? null
      : await listenDashboardAlias(app, rt.config.DASHBOARD_PORT, rt.config.HOST);
  return async () => {
    await Promise.all([alias?.close(), drainAndClose(app)]);
  };
}

/**
 * Stops accepting connections, answers every request already received, then resolves. Node closes
 * only the keep-alive connections that are idle at the moment the server closes; one that was busy
 * becomes idle after its response and would hold the close open until its keep-alive timeout
 * (72 s). So idle connections are reaped again until the last one is gone. Requests that arrive on a
 * still-open connection meanwhile are answered with `Connection: close`.
 */
export async function drainAndClose(app: FastifyInstance): Promise<void> {
  const reaper = setInterval(() => app.server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
  try {
    await app.close();
  } finally {
    clearInterval(reaper);
  }
}
