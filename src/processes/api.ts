import { buildApi } from '../api/app.js';
import { listenDashboardAlias } from '../dashboard/alias-server.js';
import type { Runtime } from '../runtime.js';
import { drainAndClose } from './drain.js';
import type { Closer } from './lifecycle.js';

/** Serves the API on PORT and DASHBOARD_PORT; the closer stops accepting, lets in-flight requests finish. */
export async function serveApi(runtime: Runtime): Promise<Closer> {
  const app = await buildApi(runtime);
  await app.listen({ port: runtime.config.PORT, host: runtime.config.HOST });
  // The dashboard's pages also answer on DASHBOARD_PORT (3000), as docs/api.md lists it.
  const alias =
    runtime.config.DASHBOARD_PORT === runtime.config.PORT
      ? null
      : await listenDashboardAlias(app, runtime.config.DASHBOARD_PORT, runtime.config.HOST);
  return async () => {
    await Promise.all([alias?.close(), drainAndClose(app)]);
  };
}
