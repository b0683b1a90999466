import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { QUEUE_NAMES, type QueueName } from '../queue/catalog.js';
import { withTimeout } from '../timeout.js';
import { registry } from './registry.js';

type Queues = { [Q in QueueName]: Queue };

const STATES = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'] as const;
const SCRAPE_TIMEOUT_MS = 2000;

/** Producers whose queues are counted at scrape time (one per process, except in tests). */
const sources = new Set<Queues>();

/**
 * Jobs per queue and state, read from Redis when scraped (nothing is counted on the hot path). The
 * numbers are global to the Redis deployment, not to this process: the API reports them; workers do
 * not, so a dashboard does not have to deduplicate. When Redis does not answer in time the scrape
 * still succeeds, without this series.
 */
export const queueDepth = new Gauge({
  name: 'gateway_queue_jobs',
  help: 'Jobs in each queue by state (waiting, delayed, prioritized, active, completed, failed)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const queues of sources) {
      try {
        const counts = await withTimeout(
          Promise.all(QUEUE_NAMES.map((name) => queues[name].getJobCounts(...STATES))),
          SCRAPE_TIMEOUT_MS,
          'queue depth',
        );
        QUEUE_NAMES.forEach((queue, index) => {
          for (const state of STATES) this.inc({ queue, state }, counts[index]?.[state] ?? 0);
        });
      } catch {
        // Redis is away: /health and the logs say so; the scrape itself must not fail.
      }
    }
  },
});

/** Reports the depth of these queues on /metrics until the returned function is called. */
export function trackQueueDepth(queues: Queues): () => void {
  sources.add(queues);
  return () => sources.delete(queues);
}
