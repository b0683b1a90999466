import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startTestGateway, type TestGateway } from './gateway.js';

/**
 * Reads PostgreSQL's cumulative statistics around work done on one connection of its own. A session
 * hands its counts to shared memory only now and then; `flush()` makes it do so at once, so what the
 * work read can be compared before and after it.
 */
export class StatisticsProbe {
  /** One connection: the work measured runs here, and so does the flush. */
  readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly reader: pg.Pool,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  }

  /** Statistics reach shared memory when the session goes idle once asked to. */
  async flush(): Promise<void> {
    await this.pool.query('SELECT pg_stat_force_next_flush()');
    await this.pool.query('SELECT 1');
  }

  /** Index tuples read so far through one index. */
  indexTuplesRead(index: string): Promise<number> {
    return this.counter('SELECT idx_tup_read AS n FROM pg_stat_user_indexes WHERE indexrelname = $1', index);
  }

  /** Rows of one table read by sequential scans so far. */
  rowsScanned(table: string): Promise<number> {
    return this.counter('SELECT seq_tup_read AS n FROM pg_stat_user_tables WHERE relname = $1', table);
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private async counter(sql: string, name: string): Promise<number> {
    await this.reader.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await this.reader.query<{ n: string }>(sql, [name]);
    return Number(rows[0]?.n ?? 0);
  }
}

/**
 * A test gateway without workers and a probe on its database for the tests of one file, started
 * before them and closed after them. The fields are set once the file's tests begin.
 */
export function useProbedGateway(): { gw: TestGateway; probe: StatisticsProbe } {
  const state = {} as { gw: TestGateway; probe: StatisticsProbe };
  beforeAll(async () => {
    state.gw = await startTestGateway();
    state.probe = new StatisticsProbe(state.gw.config.DATABASE_URL, state.gw.runtime.db);
  });
  afterAll(async () => {
    await state.probe?.end();
    await state.gw?.close();
  });
  return state;
}
