import { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { JOBS, type JobPayloads, jobIdOf, QUEUE_NAMES, type QueueName } from './catalog.js';
import type { RedisConnection } from './redis.js';

interface Pending<Q extends QueueName> {
  data: JobPayloads[Q];
  delayMs: number;
}

/**
 * Adds jobs after their rows have committed. Jobs requested in the same event-loop turn go to Redis
 * in one addBulk round trip. A failed add is logged and swallowed: the row is the truth and the
 * sweeper enqueues it later, so a request never fails (or waits) because Redis is away.
 */
export class JobProducer {
  readonly queues: { [Q in QueueName]: Queue };
  private readonly pending = new Map<QueueName, Pending<QueueName>[]>();
  private flushScheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    connection: RedisConnection,
    prefixOf: (queue: QueueName) => string,
    private readonly log: Logger,
  ) {
    // Not skipWaitingForReady: BullMQ's one-time initialisation must run on a ready connection, or
    // (with the offline queue disabled) it fails for good when Redis is down at start-up.
    const make = (name: QueueName) =>
      new Queue(name, { connection, prefix: prefixOf(name), defaultJobOptions: JOBS[name].options });
    this.queues = { payments: make('payments'), refunds: make('refunds') };
    for (const name of QUEUE_NAMES) this.queues[name].on('error', () => undefined);
  }

  enqueue<Q extends QueueName>(queue: Q, data: JobPayloads[Q], delayMs = 0): void {
    const list = this.pending.get(queue) ?? [];
    list.push({ data, delayMs });
    this.pending.set(queue, list);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Resolves once every job requested so far has been handed to Redis (or given up on). */
  async settle(): Promise<void> {
    if (this.flushScheduled) this.flush();
    await Promise.all([...this.inFlight]);
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [queue, jobs] of this.pending) {
      this.pending.delete(queue);
      const bulk = jobs.map(({ data, delayMs }) => ({
        name: JOBS[queue].name,
        data,
        opts: { jobId: jobIdOf(queue, data), delay: delayMs },
      }));
      const sending = this.queues[queue]
        .addBulk(bulk)
        .then(() => undefined)
        .catch((err: Error) => {
          this.log.warn(
            { err: err.message, queue, jobs: bulk.length },
            'enqueue failed; the sweeper will retry',
          );
        });
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
    }
  }

  async close(): Promise<void> {
    await this.settle();
    await Promise.all(QUEUE_NAMES.map((name) => this.queues[name].close()));
  }
}
