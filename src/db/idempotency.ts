import type { Queryable } from './pool.js';

export interface StoredResponse {
  request_hash: string;
  response_status: number;
  response_body: string;
}

/**
 * Claims (merchant, key) inside the caller's transaction. A concurrent claim of the same key blocks on
 * the uncommitted row until this transaction ends, which is what makes simultaneous repeats wait for
 * the first request. An expired key is claimed anew. Returns false when a live key already exists.
 */
export async function claimKey(
  db: Queryable,
  merchantId: string,
  key: string,
  requestHash: string,
  now: Date,
  expiresAt: Date,
): Promise<boolean> {
  const result = await db.query({
    name: 'idempotency-claim',
    text: `INSERT INTO idempotency_keys (merchant_id, key, request_hash, response_status, response_body, created_at, expires_at)
           VALUES ($1, $2, $3, 0, '', $4, $5)
           ON CONFLICT (merchant_id, key) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, response_status = 0, response_body = '',
                 created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
             WHERE idempotency_keys.expires_at <= $4
           RETURNING 1`,
    values: [merchantId, key, requestHash, now, expiresAt],
  });
  return result.rowCount === 1;
}

export async function findKey(
  db: Queryable,
  merchantId: string,
  key: string,
): Promise<StoredResponse | null> {
  const result = await db.query<StoredResponse>({
    name: 'idempotency-find',
    text: 'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE merchant_id = $1 AND key = $2',
    values: [merchantId, key],
  });
  return result.rows[0] ?? null;
}

export async function storeResponse(
  db: Queryable,
  merchantId: string,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await db.query({
    name: 'idempotency-store',
    text: 'UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE merchant_id = $1 AND key = $2',
    values: [merchantId, key, status, body],
  });
}

/** Housekeeping: expired keys are dead weight (claimKey already treats them as absent). */
export async function deleteExpiredKeys(db: Queryable, now: Date, limit: number): Promise<number> {
  const result = await db.query({
    text: `DELETE FROM idempotency_keys WHERE ctid IN (
             SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)`,
    values: [now, limit],
  });
  return result.rowCount ?? 0;
}
