import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createLogger } from '../../src/logger.js';
import { databaseUrl, dropDatabase } from '../support/databases.js';

const url = databaseUrl(`gw_test_${inject('runId')}_fresh_${randomBytes(3).toString('hex')}`);
const log = createLogger('silent', 'test');

afterAll(() => dropDatabase(url));

describe('migrations', () => {
  it('create the database, apply each migration once when processes race, and seed idempotently', async () => {
    const results = await Promise.all([migrate(url, log), migrate(url, log), migrate(url, log)]);
    // Exactly one of the racing processes applied the migrations; the others found them done.
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version).sort());

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const applied = await db.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(applied.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await db.query("UPDATE merchants SET webhook_url = 'http://example.com/hook' WHERE id = $1", [
        TEST_MERCHANT.id,
      ]);
      expect(await migrate(url, log)).toEqual([]);
      const merchants = await db.query(
        'SELECT id, api_key, api_secret, webhook_secret, webhook_url FROM merchants',
      );
      expect(merchants.rows).toEqual([
        {
          id: TEST_MERCHANT.id,
          api_key: TEST_MERCHANT.api_key,
          api_secret: TEST_MERCHANT.api_secret,
          webhook_secret: TEST_MERCHANT.webhook_secret,
          webhook_url: 'http://example.com/hook',
        },
      ]);
    } finally {
      await db.end();
    }
  });
});
