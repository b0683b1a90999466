import { beat, HEARTBEAT_INTERVAL_MS, removeHeartbeat } from '../queue/stats.js';
import type { Runtime } from '../runtime.js';

/** Tells /api/v1/test/jobs/status that this worker is alive. */
export function startHeartbeat(runtime: Runtime): () => Promise<void> {
  const send = () =>
    beat(runtime.redis, runtime.config.QUEUE_PREFIX, runtime.instanceId, Date.now()).catch(() => undefined);
  void send();
  // The first beat is lost when the connection is still coming up; repeat it as soon as it is ready.
  runtime.redis.on('ready', send);
  const timer = setInterval(send, HEARTBEAT_INTERVAL_MS);
  return async () => {
    clearInterval(timer);
    runtime.redis.off('ready', send);
    await removeHeartbeat(runtime.redis, runtime.config.QUEUE_PREFIX, runtime.instanceId).catch(
      () => undefined,
    );
  };
}
