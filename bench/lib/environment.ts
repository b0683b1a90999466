import { randomBytes } from 'node:crypto';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { removeEnvironment } from '../../test/support/processes.js';

/** Read at each call, so a scenario may point the benches at a server of its own. */
const baseUrl = () => process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchEnvironment {
  env: Record<string, string>;
  databaseUrl: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database and Redis prefix for one scenario, removed afterwards. `migrateDatabase`
 * runs another build's migrations instead of this one's (a baseline checkout's schema).
 */
export async function benchEnvironment(
  overrides: Record<string, string> = {},
  migrateDatabase: (databaseUrl: string) => Promise<unknown> = (databaseUrl) =>
    migrate(databaseUrl, createLogger('silent', 'bench')),
): Promise<BenchEnvironment> {
  const url = new URL(baseUrl());
  url.pathname = `/gw_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `gwbench-${randomBytes(4).toString('hex')}`,
    TEST_MODE: 'true',
    TEST_PROCESSING_DELAY: '0',
    LOG_LEVEL: 'warn',
    ...overrides,
    // BENCH_ENV='{"DB_POOL_SIZE":"40"}' tries a setting without editing the scenario.
    ...(JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>),
  };
  return {
    env,
    databaseUrl,
    // The scenario's database, queues and heartbeats go with it.
    dispose: () => removeEnvironment(env),
  };
}
