import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * Producers (the API) fail fast when Redis is away: a request must never wait for it, because the
 * payment is already committed and the sweeper will enqueue it later. Workers instead wait and retry
 * forever, as BullMQ requires for its blocking connections.
 */
export type RedisRole = 'producer' | 'worker';

export function redisOptions(role: RedisRole): RedisOptions {
  const common: RedisOptions = {
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  };
  return role === 'producer'
    ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 }
    : { ...common, maxRetriesPerRequest: null, enableReadyCheck: false };
}

export function createRedis(config: Config, role: RedisRole, log: Logger): Redis {
  const redis = new Redis(config.REDIS_URL, { ...redisOptions(role), lazyConnect: false });
  let lastError = '';
  redis.on('error', (err: Error) => {
    // Reconnection attempts repeat the same error many times a second; log each new one once.
    if (err.message !== lastError) log.warn({ err: err.message, role }, 'redis connection error');
    lastError = err.message;
  });
  redis.on('ready', () => {
    if (lastError) log.info({ role }, 'redis connection restored');
    lastError = '';
  });
  return redis;
}
