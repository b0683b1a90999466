import type { Queryable } from './pool.js';

/**
 * Idempotency keys are claimed by the very statement that creates what the request asks for: the
 * statement inserts the key row, with the complete answer, only for what it created. So a request
 * refused by a rule stores nothing, and a key that already exists makes the whole statement fail
 * (a unique violation rolls back everything it did), which the caller turns into a replay. A
 * concurrent repeat blocks on the first one's uncommitted key until it commits, then fails the
 * same way and replays its answer.
 */
export interface IdempotencyClaim {
  merchantId: string;
  key: string;
  fingerprint: string;
  status: number;
  body: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A creating statement met an existing key (the caller replays or refuses the request). */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key already used');
  }
}

/** Rethrows the unique violation on idempotency_keys as IdempotencyKeyTaken. */
export function rethrowKeyTaken(err: unknown): never {
  const { code, constraint } = err as { code?: string; constraint?: string };
  if (code === '23505' && constraint === 'idempotency_keys_pkey') throw new IdempotencyKeyTaken();
  throw err;
}

/** The whole answer as one json value; `json` keeps the body's bytes exactly. */
const storedResponse = (claim: IdempotencyClaim) => `{"status":${claim.status},"body":${claim.body}}`;

export interface ClaimFor {
  /** Id of the row the claim belongs to: the key is stored only if that row is created. */
  resourceId: string;
  claim: IdempotencyClaim;
}

/** The seven parameter arrays claimInsert() reads, in order. */
export function claimColumns(claims: ClaimFor[]): unknown[] {
  return [
    claims.map((c) => c.resourceId),
    claims.map((c) => c.claim.merchantId),
    claims.map((c) => c.claim.key),
    claims.map((c) => c.claim.fingerprint),
    claims.map((c) => storedResponse(c.claim)),
    claims.map((c) => c.claim.createdAt),
    claims.map((c) => c.claim.expiresAt),
  ];
}

/**
 * A CTE body inserting the claims (parameters $first…$first+6, from claimColumns) of the rows of
 * `created`, a relation with a `resource_id` column. Deliberately without ON CONFLICT.
 */
export function claimInsert(first: number, created: string): string {
  const p = (n: number) => `$${first + n}`;
  return `INSERT INTO idempotency_keys (merchant_id, key, fingerprint, response, created_at, expires_at)
    SELECT c.merchant_id, c.key, c.fingerprint, c.response::json, c.created_at, c.expires_at
    FROM unnest(${p(0)}::text[], ${p(1)}::uuid[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[],
                ${p(5)}::timestamptz[], ${p(6)}::timestamptz[])
           AS c(resource_id, merchant_id, key, fingerprint, response, created_at, expires_at)
    JOIN ${created} ON ${created}.resource_id = c.resource_id`;
}

export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: string;
  expires_at: Date;
}

export async function findStoredAnswer(
  db: Queryable,
  merchantId: string,
  key: string,
): Promise<StoredAnswer | null> {
  const result = await db.query<StoredAnswer>({
    name: 'idempotency-find',
    text: `SELECT fingerprint, (response->>'status')::int AS status, (response->'body')::text AS body, expires_at
           FROM idempotency_keys WHERE merchant_id = $1 AND key = $2`,
    values: [merchantId, key],
  });
  return result.rows[0] ?? null;
}

/** Removes one key if it has expired, so that it can be claimed anew. */
export async function forgetExpiredKey(db: Queryable, merchantId: string, key: string, now: Date) {
  await db.query({
    name: 'idempotency-forget-expired',
    text: 'DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND expires_at <= $3',
    values: [merchantId, key, now],
  });
}

/** Housekeeping: expired keys are dead weight. */
export async function deleteExpiredKeys(db: Queryable, now: Date, limit: number): Promise<number> {
  const result = await db.query({
    text: `DELETE FROM idempotency_keys WHERE ctid IN (
             SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)`,
    values: [now, limit],
  });
  return result.rowCount ?? 0;
}
