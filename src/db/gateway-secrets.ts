import type { Queryable } from './pool.js';

/**
 * Process-wide secrets the gateway generates for itself (e.g. the key that signs dashboard session
 * cookies): the first process to need one stores its candidate, and every process reads back the
 * one that won, so all of them agree.
 */
export async function sharedSecret(db: Queryable, name: string, candidate: string): Promise<string> {
  const result = await db.query<{ value: string }>({
    text: `WITH stored AS (
        INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value
      )
      SELECT value FROM stored UNION ALL SELECT value FROM gateway_secrets WHERE name = $1 LIMIT 1`,
    values: [name, candidate],
  });
  const value = result.rows[0]?.value;
  if (!value) throw new Error(`gateway secret ${name} missing after insert`);
  return value;
}
