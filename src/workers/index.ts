import { type Job, type Processor, Worker } from 'bullmq';
import { createPool } from '../db/pool.js';
import { observeJobs } from '../metrics/jobs.js';
import { cappedExponentialBackoff, type QueueName } from '../queue/catalog.js';
import { createRedis } from '../queue/redis.js';
import { Sweeper } from '../queue/sweeper.js';
import type { Runtime } from '../runtime.js';
import { WebhookHttpClient } from '../webhooks/http-client.js';
import { startHeartbeat } from './heartbeat.js';
import { paymentProcessor } from './payments.js';
import { refundProcessor } from './refunds.js';
import { webhookProcessor } from './webhooks.js';

export interface RunningWorkers {
  workers: Worker[];
  sweeper: Sweeper;
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** Run the sweeper in this process (default true). */
  sweep?: boolean;
  /** Queues to consume (default: all). */
  queues?: QueueName[];
}

/**
 * Starts the BullMQ workers, the sweeper and the heartbeat. close() lets active jobs finish (or
 * hands them back to the queue) before it resolves.
 */
export function startWorkers(rt: Runtime, options: WorkerOptions = {}): RunningWorkers {
  const connection = createRedis(rt.config, 'worker', rt.log);
  const http = new WebhookHttpClient(rt.config.WEBHOOK_TIMEOUT_MS, rt.config.WEBHOOK_ALLOW_PRIVATE_URLS);
  // Webhook leases and attempt records need not wait for the disk: losing one re-sends an attempt.
  const bookkeeping = createPool(rt.config, rt.log, 'webhook-bookkeeping', {
    max: Math.max(2, Math.ceil(rt.config.DB_POOL_SIZE / 2)),
    asynchronousCommit: true,
  });
  const processors: { [Q in QueueName]: { processor: Processor; concurrency: number } } = {
    payments: { processor: paymentProcessor(rt) as Processor, concurrency: rt.config.WORKER_CONCURRENCY },
    refunds: { processor: refundProcessor(rt) as Processor, concurrency: rt.config.WORKER_CONCURRENCY },
    webhooks: {
      processor: webhookProcessor(rt, http, bookkeeping) as Processor,
      concurrency: rt.config.WEBHOOK_CONCURRENCY,
    },
  };
  const selected = options.queues ?? (Object.keys(processors) as QueueName[]);
  const workers = selected.map((name) => {
    const { processor, concurrency } = processors[name];
    const worker = new Worker(name, processor, {
      connection,
      prefix: rt.config.QUEUE_PREFIX,
      concurrency,
      maxStalledCount: 20,
      lockDuration: rt.config.JOB_LOCK_DURATION_MS,
      stalledInterval: rt.config.JOB_LOCK_DURATION_MS,
      settings: { backoffStrategy: cappedExponentialBackoff },
    });
    observeJobs(worker, name);
    worker.on('error', (err) => rt.log.warn({ err: err.message, queue: name }, 'worker error'));
    worker.on('failed', (job: Job | undefined, err: Error) =>
      rt.log.warn({ queue: name, job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    return worker;
  });

  const sweeper = new Sweeper(rt, rt.jobs.queues);
  if (options.sweep !== false) sweeper.start();
  const stopHeartbeat = startHeartbeat(rt);

  return {
    workers,
    sweeper,
    async close() {
      await stopHeartbeat();
      await sweeper.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      await http.close();
      await bookkeeping.end().catch(() => undefined);
      connection.disconnect();
    },
  };
}
