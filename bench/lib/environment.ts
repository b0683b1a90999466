import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchEnvironment {
  env: Record<string, string>;
  databaseUrl: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated database and Redis prefix for one scenario, dropped afterwards. */
export async function benchEnvironment(env: Record<string, string> = {}): Promise<BenchEnvironment> {
  const name = `gw_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await migrate(databaseUrl, createLogger('silent', 'bench'));
  return {
    databaseUrl,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `gwbench-${randomBytes(4).toString('hex')}`,
      TEST_MODE: 'true',
      TEST_PROCESSING_DELAY: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    async dispose() {
      const admin = new pg.Client({ connectionString: BASE });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
