import type { Runtime } from '../runtime.js';
import { startWorkers } from '../workers/index.js';
import type { Closer } from './lifecycle.js';

export function serveWorkers(rt: Runtime): Closer {
  const running = startWorkers(rt);
  rt.log.info(
    { queues: running.workers.map((w) => w.name), concurrency: rt.config.WORKER_CONCURRENCY },
    'workers started',
  );
  return () => running.close();
}
