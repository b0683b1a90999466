import type { Runtime } from '../runtime.js';
import { startWorkers } from '../workers/index.js';
import type { Closer } from './lifecycle.js';

export function serveWorkers(runtime: Runtime): Closer {
  const running = startWorkers(runtime);
  runtime.log.info(
    { queues: running.workers.map((w) => w.name), concurrency: runtime.config.WORKER_CONCURRENCY },
    'workers started',
  );
  return () => running.close();
}
