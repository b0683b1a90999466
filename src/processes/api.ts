import { buildApi } from '../api/app.js';
import type { Runtime } from '../runtime.js';
import type { Closer } from './lifecycle.js';

/** Serves the API on PORT; the closer stops accepting and lets in-flight requests finish. */
export async function serveApi(rt: Runtime): Promise<Closer> {
  const app = await buildApi(rt);
  await app.listen({ port: rt.config.PORT, host: rt.config.HOST });
  return async () => {
    await app.close();
  };
}
