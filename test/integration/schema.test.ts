import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../support/databases.js';
import { testEnvironment } from '../support/gateway.js';

/**
 * Readers of the database (reports, migrations of other tools, evaluators of the API) rely on these
 * tables, columns, types and indexes by name: more is fine, renaming or retyping is not.
 */
let db: pg.Pool;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = (await testEnvironment()).DATABASE_URL as string;
  db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
});
afterAll(async () => {
  await db.end();
  await dropDatabase(databaseUrl);
});

async function columns(table: string): Promise<Record<string, { type: string; default: string | null }>> {
  const { rows } = await db.query<{ column_name: string; data_type: string; column_default: string | null }>(
    `SELECT column_name, data_type, column_default FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return Object.fromEntries(
    rows.map((r) => [r.column_name, { type: r.data_type, default: r.column_default }]),
  );
}

async function indexes(table: string): Promise<string[]> {
  const { rows } = await db.query<{ indexdef: string }>(
    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1",
    [table],
  );
  return rows.map((r) => r.indexdef);
}

const INTEGER_TYPES = ['integer', 'bigint', 'smallint'];
const TIMESTAMP = expect.stringMatching(/^timestamp/);

describe('database schema', () => {
  it('merchants and payments', async () => {
    expect((await columns('merchants')).webhook_secret?.type).toBe('text');
    const captured = (await columns('payments')).captured;
    expect(captured?.type).toBe('boolean');
    expect(captured?.default).toBe('false');
  });

  it('refunds, with an index led by payment_id', async () => {
    const refund = await columns('refunds');
    for (const name of ['id', 'payment_id', 'merchant_id', 'reason', 'status'])
      expect(refund[name]).toBeDefined();
    expect(INTEGER_TYPES).toContain(refund.amount?.type);
    expect(refund.created_at?.type).toEqual(TIMESTAMP);
    expect(refund.processed_at?.type).toEqual(TIMESTAMP);
    expect((await indexes('refunds')).some((def) => /\(payment_id[,)]/.test(def))).toBe(true);
    const statuses = await db.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'refunds'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'`,
    );
    expect(statuses.rows[0]?.def).toMatch(/pending.*processed/);
  });

  it('webhook_logs, with its payload as json and indexes by merchant, by status and on due retries', async () => {
    const log = await columns('webhook_logs');
    expect(log.id?.type).toBe('uuid');
    expect(log.payload?.type).toBe('json');
    for (const name of ['merchant_id', 'event', 'status', 'response_body']) expect(log[name]).toBeDefined();
    expect(INTEGER_TYPES).toContain(log.attempts?.type);
    expect(INTEGER_TYPES).toContain(log.response_code?.type);
    for (const name of ['last_attempt_at', 'next_retry_at', 'created_at'])
      expect(log[name]?.type).toEqual(TIMESTAMP);
    const defs = await indexes('webhook_logs');
    expect(defs.some((def) => /USING btree \(merchant_id[,)]/.test(def))).toBe(true);
    expect(defs.some((def) => /USING btree \(status[,)]/.test(def))).toBe(true);
    expect(defs.some((def) => /\(next_retry_at\) WHERE \(status = 'pending'::text\)/.test(def))).toBe(true);
  });

  it('idempotency_keys, with the complete answer as json, unique per merchant and key', async () => {
    const key = await columns('idempotency_keys');
    for (const name of ['key', 'merchant_id']) expect(key[name]).toBeDefined();
    expect(key.response?.type).toBe('json');
    expect(key.created_at?.type).toEqual(TIMESTAMP);
    expect(key.expires_at?.type).toEqual(TIMESTAMP);
    const unique = (await indexes('idempotency_keys')).filter((def) => def.startsWith('CREATE UNIQUE INDEX'));
    expect(unique.some((def) => /\(merchant_id, key\)$/.test(def))).toBe(true);
  });
});
