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
 * connection with the job producer, and the injectable clock and randomness.
 */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Pool;
  redis: RedisConnection;
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
  return {
    config,
    log,
    db,
    redis,
    jobs,
    clock: overrides.clock ?? systemClock,
    random: overrides.random ?? Math.random,
    instanceId: `${name}-${process.pid}-${randomUUID().slice(0, 8)}`,
    async close() {
      await jobs.close().catch(() => undefined);
      redis.disconnect();
      await db.end().catch(() => undefined);
    },
  };
}
