import { type Job, type Processor, UnrecoverableError, Worker } from 'bullmq';
import { Value } from 'typebox/value';
import { createPool } from '../db/pool.js';
import { observeJobs } from '../metrics/jobs.js';
import { cappedExponentialBackoff, JOBS, type QueueName } from '../queue/catalog.js';
import { createRedis, queuePrefix } from '../queue/redis.js';
import { Sweeper } from '../queue/sweeper.js';
import type { Runtime } from '../runtime.js';
import { WebhookHttpClient } from '../webhooks/http-client.js';
import { DeliveryDispatcher } from './dispatcher.js';
import { startHeartbeat } from './heartbeat.js';
import { paymentProcessor } from './payments.js';
import { refundProcessor } from './refunds.js';

export interface RunningWorkers {
  workers: Worker[];
  dispatcher: DeliveryDispatcher | null;
  sweeper: Sweeper;
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** Run the sweeper in this process (default true). */
  sweep?: boolean;
  /** Queues to consume (default: all). */
  queues?: QueueName[];
  /** Deliver webhooks in this process (default true). */
  deliver?: boolean;
}

/**
 * Starts the BullMQ workers, the sweeper and the heartbeat. close() lets active jobs finish (or
 * hands them back to the queue) before it resolves.
 */
export function startWorkers(runtime: Runtime, options: WorkerOptions = {}): RunningWorkers {
  const connection = createRedis(runtime.config, 'worker', runtime.log);
  const http = new WebhookHttpClient(
    runtime.config.WEBHOOK_TIMEOUT_MS,
    runtime.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    runtime.config.WEBHOOK_CONCURRENCY,
  );
  // Delivery leases and attempt records need not wait for the disk: losing one to a crash of
  // PostgreSQL re-sends an attempt, which at-least-once delivery allows (money never rides on them).
  const deliveryRecordsPool = createPool(runtime.config, runtime.log, 'webhook-delivery-records', {
    max: Math.max(2, Math.ceil(runtime.config.DB_POOL_SIZE / 2)),
    asynchronousCommit: true,
  });
  const processors: { [Q in QueueName]: { processor: Processor; concurrency: number } } = {
    payments: {
      processor: paymentProcessor(runtime) as Processor,
      concurrency: runtime.config.WORKER_CONCURRENCY,
    },
    refunds: {
      processor: refundProcessor(runtime) as Processor,
      concurrency: runtime.config.WORKER_CONCURRENCY,
    },
  };
  const selected = options.queues ?? (Object.keys(processors) as QueueName[]);
  const workers = selected.map((name) => {
    const { processor, concurrency } = processors[name];
    const worker = new Worker(name, checkedPayload(name, processor), {
      connection,
      prefix: queuePrefix(runtime.config, name),
      concurrency,
      maxStalledCount: 20,
      // A live worker renews its locks every half lock; a dead one's lapse, and the next stalled check
      // (every half lock, by any worker) hands the job to another. The database guards every effect,
      // so a job run twice (a worker stalled past its lock) still decides and delivers once.
      lockDuration: runtime.config.JOB_LOCK_DURATION_MS,
      stalledInterval: Math.ceil(runtime.config.JOB_LOCK_DURATION_MS / 2),
      settings: { backoffStrategy: cappedExponentialBackoff },
    });
    observeJobs(worker, name);
    worker.on('error', (err) => runtime.log.warn({ err: err.message, queue: name }, 'worker error'));
    worker.on('failed', (job: Job | undefined, err: Error) =>
      runtime.log.warn(
        { queue: name, job: job?.id, attempts: job?.attemptsMade, err: err.message },
        'job failed',
      ),
    );
    return worker;
  });

  const dispatcher =
    options.deliver === false ? null : new DeliveryDispatcher(runtime, http, deliveryRecordsPool);
  dispatcher?.start();

  const sweeper = new Sweeper(runtime, runtime.jobs.queues);
  if (options.sweep !== false) sweeper.start();
  const stopHeartbeat = startHeartbeat(runtime);

  return {
    workers,
    dispatcher,
    sweeper,
    async close() {
      await stopHeartbeat();
      await sweeper.stop();
      await Promise.all([...workers.map((worker) => worker.close()), dispatcher?.stop()]);
      await http.close();
      await deliveryRecordsPool.end().catch(() => undefined);
      connection.disconnect();
    },
  };
}

/** A job whose payload is not what its queue declares is failed at once, never retried or run. */
function checkedPayload(queue: QueueName, processor: Processor): Processor {
  return (job, token) => {
    if (!Value.Check(JOBS[queue].payload, job.data)) {
      throw new UnrecoverableError(
        `a ${queue} job with a malformed payload: ${JSON.stringify(job.data).slice(0, 200)}`,
      );
    }
    return processor(job, token);
  };
}
