import { Redis } from 'ioredis';
import { QUEUE_NAMES, type QueueName } from '../../src/queue/catalog.js';

const JOB_KEY = /^[^:]+:[a-z]+:(payment-pay_|refund-rfnd_|webhook-)[A-Za-z0-9-]+$/;

/**
 * How many jobs of each queue were found stalled and taken over by another worker (BullMQ counts it
 * in the job hash's `stc` field): evidence that a kill really landed while the job was running.
 * Jobs BullMQ already removed are not counted, so this is a lower bound.
 */
export async function stalledJobCounts(env: Record<string, string>): Promise<Record<QueueName, number>> {
  const redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  const counts = Object.fromEntries(QUEUE_NAMES.map((name) => [name, 0])) as Record<QueueName, number>;
  try {
    for (const queue of QUEUE_NAMES) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${env.QUEUE_PREFIX}:${queue}:*`,
          'COUNT',
          1000,
        );
        cursor = next;
        const jobKeys = keys.filter((key) => JOB_KEY.test(key));
        const stalled = await Promise.all(jobKeys.map((key) => redis.hget(key, 'stc')));
        counts[queue] += stalled.filter((value) => Number(value) > 0).length;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return counts;
}
