import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { createPool, type Pool } from './db/pool.js';
import type { Random } from './domain/simulation.js';
import { createLogger, type Logger } from './logger.js';
import { JobProducer } from './queue/producer.js';
import { createRedis, queuePrefix, type RedisConnection } from './queue/redis.js';

/**
 * What every part of the gateway runs on: configuration, a PostgreSQL pool, a fail-fast Redis
 * connection with the job producer, one for counters (rate limits), and the injectable clock and
 * randomness.
 */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Pool;
  redis: RedisConnection;
  /**
   * A fail-fast Redis connection for rate-limit counters, opened on first use. It is not the job
   * connection because BullMQ loads its scripts onto that one, and ioredis copies every loaded
   * script onto each MULTI it builds: the counters' MULTI on every authenticated request cost a
   * fifth of the API's CPU there.
   */
  readonly counters: RedisConnection;
  jobs: JobProducer;
  clock: Clock;
  random: Random;
  instanceId: string;
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  clock?: Clock;
  random?: Random;
  log?: Logger;
}

export function createRuntime(config: Config, name: string, overrides: RuntimeOverrides = {}): Runtime {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL, name);
  const db = createPool(config, log, name);
  const redis = createRedis(config, 'producer', log);
  const jobs = new JobProducer(redis, (queue) => queuePrefix(config, queue), log);
  let counters: RedisConnection | undefined;
  return {
    config,
    log,
    db,
    redis,
    get counters() {
      counters ??= createRedis(config, 'producer', log);
      return counters;
    },
    jobs,
    clock: overrides.clock ?? systemClock,
    random: overrides.random ?? Math.random,
    instanceId: `${name}-${process.pid}-${randomUUID().slice(0, 8)}`,
    async close() {
      await jobs.close().catch(() => undefined);
      redis.disconnect();
      counters?.disconnect();
      await db.end().catch(() => undefined);
    },
  };
}
