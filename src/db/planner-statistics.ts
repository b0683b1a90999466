import pg from 'pg';
import type { Queryable } from './pool.js';

/** A table with fewer changed rows than this is cheap to read whichever plan reads it. */
const MIN_CHANGED_ROWS = 1000;

/**
 * Analyses every table of the gateway's schema whose rows have changed by more than its size at its
 * last analysis (or by MIN_CHANGED_ROWS when it has never been analysed), and returns their names.
 *
 * Why: each connection keeps the plan of a prepared statement until a table it reads is analysed or
 * altered. A plan made while a table was small reads all of it (a sequential scan, or a partial
 * index holding every pending row), which stays cheap only while the table stays small: a young
 * database growing under load (a load test, a backlog) kept plans that read 60,000 deliveries to
 * record one attempt. Autovacuum looks at a database once a minute at most; analysing whenever a
 * table has doubled bounds how far a kept plan can fall behind the table it reads at any size.
 * SKIP_LOCKED leaves a table that autovacuum or another worker is analysing to them; tables of
 * another owner are left alone (ANALYZE would only warn, at every sweep).
 */
export async function refreshPlannerStatistics(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>({
    name: 'tables-grown-since-analyze',
    text: `SELECT s.relname AS table_name
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
           WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze >= greatest(c.reltuples, $1)
             AND pg_has_role(c.relowner, 'USAGE')
           ORDER BY s.relname`,
    values: [MIN_CHANGED_ROWS],
  });
  const tables = rows.map((row) => row.table_name);
  if (tables.length > 0) {
    await db.query(`ANALYZE (SKIP_LOCKED) ${tables.map((table) => pg.escapeIdentifier(table)).join(', ')}`);
  }
  return tables;
}
