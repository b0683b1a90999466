import { QUEUE_NAMES } from './catalog.js';
import type { JobProducer } from './producer.js';
import type { RedisConnection as Redis } from './redis.js';

/** Worker liveness: each worker refreshes its score in one sorted set; fresh means seen recently. */
export const HEARTBEAT_INTERVAL_MS = 5000;
export const HEARTBEAT_FRESH_MS = 15_000;

export const heartbeatKey = (prefix: string) => `${prefix}:workers`;

export async function beat(redis: Redis, prefix: string, workerId: string, now: number): Promise<void> {
  await redis
    .multi()
    .zadd(heartbeatKey(prefix), now, workerId)
    .zremrangebyscore(heartbeatKey(prefix), '-inf', now - 10 * HEARTBEAT_FRESH_MS)
    .exec();
}

export async function removeHeartbeat(redis: Redis, prefix: string, workerId: string): Promise<void> {
  await redis.zrem(heartbeatKey(prefix), workerId);
}

export async function liveWorkers(redis: Redis, prefix: string, now: number): Promise<number> {
  return redis.zcount(heartbeatKey(prefix), now - HEARTBEAT_FRESH_MS, '+inf');
}

export interface JobsStatus {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  worker_status: 'running' | 'stopped';
}

/** Real counts from BullMQ, summed over every queue. */
export async function jobsStatus(
  producer: JobProducer,
  redis: Redis,
  prefix: string,
  now: number,
): Promise<JobsStatus> {
  const counts = await Promise.all(
    QUEUE_NAMES.map((name) =>
      producer.queues[name].getJobCounts(
        'waiting',
        'delayed',
        'prioritized',
        'active',
        'completed',
        'failed',
      ),
    ),
  );
  const sum = (pick: (c: Record<string, number>) => number) =>
    counts.reduce((total, c) => total + pick(c), 0);
  const workers = await liveWorkers(redis, prefix, now);
  return {
    pending: sum((c) => (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0)),
    processing: sum((c) => c.active ?? 0),
    completed: sum((c) => c.completed ?? 0),
    failed: sum((c) => c.failed ?? 0),
    worker_status: workers > 0 ? 'running' : 'stopped',
  };
}
