import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

// int8 columns (amounts, counts) fit safely in a JS number: amounts are capped at 10^12.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Pool = pg.Pool;
export type Client = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

export interface PoolOptions {
  max?: number;
  /**
   * Commit without waiting for the WAL to reach the disk. Only for writes whose loss in a database
   * crash is harmless because the work is redone: a lost webhook lease or attempt record means the
   * attempt is sent again (at least once, same X-Webhook-Id), never that anything is skipped.
   */
  asynchronousCommit?: boolean;
}

export function createPool(config: Config, log: Logger, name: string, options: PoolOptions = {}): Pool {
  const pooled = config.DATABASE_POOLED;
  const pool = new pg.Pool({
    // A startup option applies to every statement of every connection, before any of them runs. A
    // transaction pooler accepts no startup options: there such writes simply commit synchronously.
    connectionString:
      options.asynchronousCommit && !pooled
        ? withStartupOption(config.DATABASE_URL, '-c synchronous_commit=off')
        : config.DATABASE_URL,
    // Behind a transaction pooler a statement prepared on one server connection is unknown on the next.
    ...(pooled ? { Client: UnpreparedClient } : {}),
    max: options.max ?? config.DB_POOL_SIZE,
    // Fail fast when PostgreSQL is down so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
    // The pooler refuses startup parameters it does not know; its own query_timeout bounds the
    // server side there, and query_timeout below the client side everywhere.
    ...(pooled ? {} : { statement_timeout: config.DB_STATEMENT_TIMEOUT_MS }),
    query_timeout: config.DB_STATEMENT_TIMEOUT_MS + 1000,
    keepAlive: true,
    application_name: `gateway-${name}`,
  });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process.
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  // Nor may a checked-out one (inside a transaction): the pool listens only while a client is idle,
  // and an 'error' event without a listener kills the process. The failure still reaches the
  // client's pending or next query, which answers 503 and discards the client.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/**
 * A client that runs every statement unnamed: the repositories name their statements so that a
 * direct connection prepares each once, which a transaction pooler cannot honour.
 */
class UnpreparedClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only drops `name`.
  override query(config: any, ...rest: any[]): any {
    if (config && typeof config === 'object' && 'name' in config) {
      const { name: _name, ...unnamed } = config;
      return super.query(unnamed, ...rest);
    }
    return super.query(config, ...rest);
  }
}

/** The connection string with one more startup option (after any it already has). */
function withStartupOption(databaseUrl: string, option: string): string {
  const url = new URL(databaseUrl);
  const given = url.searchParams.get('options');
  url.searchParams.set('options', given ? `${given} ${option}` : option);
  return url.toString();
}

export async function withTransaction<T>(pool: Pool, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True when an error means "the database cannot be reached right now" (answered as 503). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code ?? '';
  if (UNAVAILABLE_CODES.has(code)) return true;
  // SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash).
  if (/^08/.test(code) || /^57P0[1-4]$/.test(code) || code === '53300') return true;
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    err.message,
  );
}
