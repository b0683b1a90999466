import {
  type ClaimFor,
  claimColumns,
  claimInsert,
  type IdempotencyClaim,
  rethrowKeyTaken,
} from './idempotency.js';
import type { Queryable } from './pool.js';

/**
 * Webhook endpoints: several per merchant, each with a filter, a status and its secrets. The
 * merchant's webhook_url is its default endpoint; merchants.webhook_url and merchants.webhook_secret
 * mirror it, written in the same statements.
 */
export interface EndpointRecord {
  id: string;
  merchant_id: string;
  url: string;
  description: string | null;
  enabled_events: string[];
  status: 'enabled' | 'disabled';
  is_default: boolean;
  /** The current signing secret. */
  secret: string;
  created_at: Date;
  updated_at: Date;
}

export const MAX_ENDPOINTS_PER_MERCHANT = 16;

const COLUMNS = `we.id, we.merchant_id, we.url, we.description, we.enabled_events, we.status, we.is_default,
  we.created_at, we.updated_at,
  (SELECT s.secret FROM webhook_endpoint_secrets s WHERE s.endpoint_id = we.id AND s.expires_at IS NULL) AS secret`;

export interface NewEndpoint {
  id: string;
  merchantId: string;
  url: string;
  description: string | null;
  enabledEvents: string[];
  secret: string;
  at: Date;
  claim?: IdempotencyClaim;
}

/** Adds an endpoint with its secret; null when the merchant already has the most it may have. */
export async function insertEndpoint(db: Queryable, endpoint: NewEndpoint): Promise<EndpointRecord | null> {
  const claims: ClaimFor[] = endpoint.claim ? [{ resourceId: endpoint.id, claim: endpoint.claim }] : [];
  const result = await db
    .query<EndpointRecord>({
      text: `WITH created AS (
          INSERT INTO webhook_endpoints (id, merchant_id, url, description, enabled_events, created_at, updated_at)
          SELECT $1, $2, $3, $4, $5, $7, $7
          WHERE (SELECT count(*) FROM webhook_endpoints WHERE merchant_id = $2 AND deleted_at IS NULL) < $8
          RETURNING *, id AS resource_id
        ), secret AS (
          INSERT INTO webhook_endpoint_secrets (endpoint_id, secret, created_at) SELECT id, $6, $7 FROM created
        ), claimed AS (${claimInsert(9, 'created')})
        SELECT we.id, we.merchant_id, we.url, we.description, we.enabled_events, we.status, we.is_default,
               we.created_at, we.updated_at, $6::text AS secret
        FROM created we`,
      values: [
        endpoint.id,
        endpoint.merchantId,
        endpoint.url,
        endpoint.description,
        endpoint.enabledEvents,
        endpoint.secret,
        endpoint.at,
        MAX_ENDPOINTS_PER_MERCHANT,
        ...claimColumns(claims),
      ],
    })
    .catch(rethrowKeyTaken);
  return result.rows[0] ?? null;
}

export async function findEndpoint(
  db: Queryable,
  id: string,
  merchantId: string,
): Promise<EndpointRecord | null> {
  const result = await db.query<EndpointRecord>({
    name: 'endpoint-find',
    text: `SELECT ${COLUMNS} FROM webhook_endpoints we WHERE we.id = $1 AND we.merchant_id = $2 AND we.deleted_at IS NULL`,
    values: [id, merchantId],
  });
  return result.rows[0] ?? null;
}

/** A page of endpoints, newest first; one row more than the limit when there are more. */
export async function listEndpoints(
  db: Queryable,
  merchantId: string,
  page: { limit: number; startingAfter?: string },
): Promise<EndpointRecord[]> {
  const values: unknown[] = [merchantId, page.limit + 1];
  let after = '';
  if (page.startingAfter !== undefined) {
    values.push(page.startingAfter);
    after = `AND (we.created_at, we.id) < (SELECT created_at, id FROM webhook_endpoints WHERE id = $3 AND merchant_id = $1)`;
  }
  const result = await db.query<EndpointRecord>({
    text: `SELECT ${COLUMNS} FROM webhook_endpoints we WHERE we.merchant_id = $1 AND we.deleted_at IS NULL ${after}
           ORDER BY we.created_at DESC, we.id DESC LIMIT $2`,
    values,
  });
  return result.rows;
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  enabledEvents?: string[];
  status?: 'enabled' | 'disabled';
}

/** Applies the changes given; re-enabling restarts the auto-disable clock. Null when not found. */
export async function updateEndpoint(
  db: Queryable,
  id: string,
  merchantId: string,
  changes: EndpointChanges,
  at: Date,
): Promise<EndpointRecord | null> {
  const result = await db.query<EndpointRecord>({
    text: `WITH changed AS (
        UPDATE webhook_endpoints SET
          url = coalesce($3, url),
          description = CASE WHEN $4 THEN $5 ELSE description END,
          enabled_events = coalesce($6, enabled_events),
          status = coalesce($7, status),
          failing_since = CASE WHEN $7 = 'enabled' THEN NULL ELSE failing_since END,
          updated_at = $8
        WHERE id = $1 AND merchant_id = $2 AND deleted_at IS NULL
        RETURNING *
      ), mirrored AS (
        UPDATE merchants m SET webhook_url = c.url, updated_at = $8 FROM changed c
        WHERE m.id = c.merchant_id AND c.is_default
      )
      SELECT we.id, we.merchant_id, we.url, we.description, we.enabled_events, we.status, we.is_default,
             we.created_at, we.updated_at,
             (SELECT s.secret FROM webhook_endpoint_secrets s WHERE s.endpoint_id = we.id AND s.expires_at IS NULL) AS secret
      FROM changed we`,
    values: [
      id,
      merchantId,
      changes.url ?? null,
      'description' in changes,
      changes.description ?? null,
      changes.enabledEvents ?? null,
      changes.status ?? null,
      at,
    ],
  });
  return result.rows[0] ?? null;
}

/** Deletes an endpoint (its deliveries stay, for the record). False when not found. */
export async function deleteEndpoint(
  db: Queryable,
  id: string,
  merchantId: string,
  at: Date,
): Promise<boolean> {
  const result = await db.query({
    text: `WITH gone AS (
        UPDATE webhook_endpoints SET deleted_at = $3, status = 'disabled', updated_at = $3
        WHERE id = $1 AND merchant_id = $2 AND deleted_at IS NULL
        RETURNING merchant_id, is_default
      ), mirrored AS (
        UPDATE merchants m SET webhook_url = NULL, updated_at = $3 FROM gone g WHERE m.id = g.merchant_id AND g.is_default
      )
      SELECT 1 FROM gone`,
    values: [id, merchantId, at],
  });
  return result.rowCount === 1;
}

/**
 * Makes `secret` the endpoint's current secret; the previous ones stay valid until `overlapUntil`
 * (at most: a shorter remaining validity is kept). Null when not found.
 */
export async function rotateSecret(
  db: Queryable,
  id: string,
  merchantId: string,
  secret: string,
  overlapUntil: Date,
  at: Date,
): Promise<{ secret: string } | null> {
  const result = await db.query<{ secret: string }>({
    text: `WITH target AS (
        SELECT id, merchant_id, is_default FROM webhook_endpoints
        WHERE id = $1 AND merchant_id = $2 AND deleted_at IS NULL FOR UPDATE
      ), retired AS (
        UPDATE webhook_endpoint_secrets s SET expires_at = LEAST(coalesce(s.expires_at, $4), $4)
        FROM target t WHERE s.endpoint_id = t.id AND (s.expires_at IS NULL OR s.expires_at > $4)
      ), added AS (
        INSERT INTO webhook_endpoint_secrets (endpoint_id, secret, created_at) SELECT id, $3, $5 FROM target
        RETURNING secret
      ), mirrored AS (
        UPDATE merchants m SET webhook_secret = $3, updated_at = $5 FROM target t WHERE m.id = t.merchant_id AND t.is_default
      ), pruned AS (
        DELETE FROM webhook_endpoint_secrets s USING target t WHERE s.endpoint_id = t.id AND s.expires_at <= $5
      )
      SELECT secret FROM added`,
    values: [id, merchantId, secret, overlapUntil, at],
  });
  return result.rows[0] ?? null;
}

/** The merchant's default endpoint, if it has one. */
export async function findDefaultEndpoint(db: Queryable, merchantId: string): Promise<EndpointRecord | null> {
  const result = await db.query<EndpointRecord>({
    text: `SELECT ${COLUMNS} FROM webhook_endpoints we
           WHERE we.merchant_id = $1 AND we.is_default AND we.deleted_at IS NULL`,
    values: [merchantId],
  });
  return result.rows[0] ?? null;
}

/**
 * Points the merchant's default endpoint at `url` (creating it, with the merchant's webhook secret,
 * when there is none), or removes it for null. Returns the merchant's webhook URL and secret.
 */
export async function setDefaultEndpointUrl(
  db: Queryable,
  merchantId: string,
  url: string | null,
  newEndpointId: string,
  at: Date,
): Promise<{ webhook_url: string | null; webhook_secret: string } | null> {
  const result = await db.query<{ webhook_url: string | null; webhook_secret: string }>({
    text: `WITH merchant AS (
        UPDATE merchants SET webhook_url = $2, updated_at = $4 WHERE id = $1 RETURNING id, webhook_url, webhook_secret
      ), current AS (
        SELECT id FROM webhook_endpoints WHERE merchant_id = $1 AND is_default AND deleted_at IS NULL FOR UPDATE
      ), pointed AS (
        UPDATE webhook_endpoints we SET url = $2, status = 'enabled', failing_since = NULL, updated_at = $4
        FROM current c WHERE we.id = c.id AND $2::text IS NOT NULL
      ), removed AS (
        UPDATE webhook_endpoints we SET deleted_at = $4, status = 'disabled', updated_at = $4
        FROM current c WHERE we.id = c.id AND $2::text IS NULL
      ), created AS (
        INSERT INTO webhook_endpoints (id, merchant_id, url, is_default, created_at, updated_at)
        SELECT $3, m.id, $2, true, $4, $4 FROM merchant m
        WHERE $2::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM current)
        RETURNING id
      ), secret AS (
        INSERT INTO webhook_endpoint_secrets (endpoint_id, secret, created_at)
        SELECT c.id, m.webhook_secret, $4 FROM created c, merchant m
      )
      SELECT webhook_url, webhook_secret FROM merchant`,
    values: [merchantId, url, newEndpointId, at],
  });
  return result.rows[0] ?? null;
}

/** Endpoints that failed without a single success since `before`: each is disabled, once. */
export async function disableFailingEndpoints(
  db: Queryable,
  before: Date,
  at: Date,
  limit: number,
): Promise<EndpointRecord[]> {
  const result = await db.query<EndpointRecord>({
    text: `WITH changed AS (
        UPDATE webhook_endpoints SET status = 'disabled', updated_at = $2
        WHERE id IN (SELECT id FROM webhook_endpoints WHERE status = 'enabled' AND deleted_at IS NULL
                     AND failing_since < $1 LIMIT $3)
          AND status = 'enabled'
        RETURNING *
      )
      SELECT we.id, we.merchant_id, we.url, we.description, we.enabled_events, we.status, we.is_default,
             we.created_at, we.updated_at, NULL::text AS secret
      FROM changed we`,
    values: [before, at, limit],
  });
  return result.rows;
}
