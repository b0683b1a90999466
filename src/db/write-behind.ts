import { isDatabaseUnavailable } from './pool.js';

/**
 * Rows written behind the requests that produce them: `add` returns at once, and one statement at a
 * time writes everything that arrived while the previous one ran. Under load the batches grow
 * instead of the statements multiplying, so the writes hold one database connection, never the
 * pool the requests themselves wait for.
 *
 * A batch that fails is written again row by row, so one row PostgreSQL refuses fails alone; while
 * the database is unavailable a batch is dropped whole (and reported) rather than retried into the
 * outage. Past `maxWaiting` rows waiting, new ones are dropped: a log must never hold memory hostage.
 */
export class WriteBehind<Row> {
  private waiting: Row[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly onLost: (err: Error, rows: number) => void,
    private readonly maxBatch = 500,
    private readonly maxWaiting = 10_000,
  ) {}

  /** Queues a row; false when it was dropped because too many are waiting. */
  add(row: Row): boolean {
    if (this.waiting.length >= this.maxWaiting) return false;
    this.waiting.push(row);
    this.draining ??= this.drain();
    return true;
  }

  /** Resolves once every row added so far has been written (or reported lost). */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // The rows of this event-loop turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const rows = this.waiting.splice(0, this.maxBatch);
      await this.writeBatch(rows);
    }
    this.draining = null;
  }

  private async writeBatch(rows: Row[]): Promise<void> {
    try {
      await this.write(rows);
    } catch (err) {
      if (rows.length === 1 || isDatabaseUnavailable(err)) {
        this.onLost(err as Error, rows.length);
        return;
      }
      for (const row of rows) {
        try {
          await this.write([row]);
        } catch (rowErr) {
          this.onLost(rowErr as Error, 1);
        }
      }
    }
  }
}
