import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { adminUrl, databaseUrl } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
    templateDatabase: string;
  }
}

/** Migrates one template database per run; each test file clones it (fast) into its own database. */
export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  const templateDatabase = `gw_test_${runId}_template`;
  await migrate(databaseUrl(templateDatabase), createLogger('silent', 'test-setup'));
  project.provide('runId', runId);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`gw_test_${runId}_%`],
      );
      for (const { datname } of rows) {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
      }
    } finally {
      await admin.end();
    }
  };
}
