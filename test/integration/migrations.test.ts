import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase, migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { hashApiSecret } from '../../src/domain/api-secrets.js';
import { createLogger } from '../../src/logger.js';
import { databaseUrl, dropDatabase } from '../support/databases.js';

const url = databaseUrl(`gw_test_${inject('runId')}_fresh_${randomBytes(3).toString('hex')}`);
const olderUrl = databaseUrl(`gw_test_${inject('runId')}_older_${randomBytes(3).toString('hex')}`);
const log = createLogger('silent', 'test');

afterAll(async () => {
  await dropDatabase(url);
  await dropDatabase(olderUrl);
});

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
        'SELECT id, api_key, api_secret_hash, webhook_secret, webhook_url FROM merchants',
      );
      expect(merchants.rows).toEqual([
        {
          id: TEST_MERCHANT.id,
          api_key: TEST_MERCHANT.api_key,
          api_secret_hash: hashApiSecret(TEST_MERCHANT.api_secret),
          webhook_secret: TEST_MERCHANT.webhook_secret,
          webhook_url: 'http://example.com/hook',
        },
      ]);
    } finally {
      await db.end();
    }
  });

  it('hashes the API secrets of a database from before secrets were hashed, and keeps no plain copy', async () => {
    await ensureDatabase(olderUrl, log);
    const db = new pg.Client({ connectionString: olderUrl });
    await db.connect();
    try {
      // The schema as version 5 left it, with a merchant whose secret is stored in the clear.
      await db.query(`CREATE TABLE schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
        await db.query(migration.sql);
        await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      await db.query(
        `INSERT INTO merchants (name, email, api_key, api_secret, webhook_secret)
         VALUES ('Old Shop', 'old@example.com', 'key_test_old', 'secret_test_plain', 'whsec_x')`,
      );
      expect(await migrate(olderUrl, log)).toEqual(
        MIGRATIONS.filter((m) => m.version > 5).map((m) => m.version),
      );
      const columns = await db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'merchants' AND column_name LIKE 'api_secret%'`,
      );
      expect(columns.rows.map((r) => r.column_name)).toEqual(['api_secret_hash']);
      const rows = await db.query('SELECT api_key, api_secret_hash FROM merchants ORDER BY api_key');
      expect(rows.rows).toEqual([
        { api_key: TEST_MERCHANT.api_key, api_secret_hash: hashApiSecret(TEST_MERCHANT.api_secret) },
        { api_key: 'key_test_old', api_secret_hash: hashApiSecret('secret_test_plain') },
      ]);
    } finally {
      await db.end();
    }
  });
});
