import type { MerchantRecord } from '../domain/records.js';
import { batched } from './batched.js';
import type { Pool, Queryable } from './pool.js';

const COLUMNS = 'id, name, email, api_key, webhook_url, webhook_secret, created_at';

/** What authenticating an API request needs to know of the merchant an api key names. */
export interface MerchantCredentials {
  id: string;
  name: string;
  api_key: string;
  api_secret_hash: string;
}

/**
 * The active merchant owning an api key, or null. Read on every authenticated request (nothing is
 * cached, so a deactivation or a new secret counts at once); the lookups of concurrent requests
 * share one query.
 */
export const findActiveMerchantByApiKey: (db: Pool, apiKey: string) => Promise<MerchantCredentials | null> =
  batched('merchant-by-key', async (db, keys: string[]) => {
    const result = await db.query<MerchantCredentials>({
      name: 'merchant-by-key',
      text: `SELECT id, name, api_key, api_secret_hash FROM merchants WHERE api_key = ANY($1::text[]) AND is_active`,
      values: [keys],
    });
    const byKey = new Map(result.rows.map((row) => [row.api_key, row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });

export async function findMerchant(db: Queryable, id: string): Promise<MerchantRecord | null> {
  const result = await db.query<MerchantRecord>({
    name: 'merchant-by-id',
    text: `SELECT ${COLUMNS} FROM merchants WHERE id = $1`,
    values: [id],
  });
  return result.rows[0] ?? null;
}

export interface NewMerchant {
  name: string;
  email: string;
  api_key: string;
  api_secret_hash: string;
  webhook_secret: string;
  password_hash: string | null;
}

/** Returns null when the email is taken. */
export async function insertMerchant(db: Queryable, merchant: NewMerchant): Promise<MerchantRecord | null> {
  const result = await db.query<MerchantRecord>({
    text: `INSERT INTO merchants (name, email, api_key, api_secret_hash, webhook_secret, password_hash)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    values: [
      merchant.name,
      merchant.email,
      merchant.api_key,
      merchant.api_secret_hash,
      merchant.webhook_secret,
      merchant.password_hash,
    ],
  });
  return result.rows[0] ?? null;
}

export async function updateWebhookUrl(
  db: Queryable,
  id: string,
  url: string | null,
): Promise<MerchantRecord | null> {
  const result = await db.query<MerchantRecord>({
    text: `UPDATE merchants SET webhook_url = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    values: [id, url],
  });
  return result.rows[0] ?? null;
}

export async function updateWebhookSecret(db: Queryable, id: string, secret: string): Promise<void> {
  await db.query({
    text: 'UPDATE merchants SET webhook_secret = $2, updated_at = now() WHERE id = $1',
    values: [id, secret],
  });
}

/** Replaces the merchant's API secret (by its hash); the old one stops working at once. */
export async function updateApiSecretHash(db: Queryable, id: string, hash: string): Promise<boolean> {
  const result = await db.query({
    text: 'UPDATE merchants SET api_secret_hash = $2, updated_at = now() WHERE id = $1 AND is_active',
    values: [id, hash],
  });
  return (result.rowCount ?? 0) > 0;
}

/** Activates or deactivates the merchant with this email; null when there is none. */
export async function setMerchantActive(
  db: Queryable,
  email: string,
  active: boolean,
): Promise<{ id: string; email: string; is_active: boolean } | null> {
  const result = await db.query<{ id: string; email: string; is_active: boolean }>({
    text: `UPDATE merchants SET is_active = $2, updated_at = now() WHERE lower(email) = lower($1)
           RETURNING id, email, is_active`,
    values: [email, active],
  });
  return result.rows[0] ?? null;
}

export interface MerchantLogin {
  id: string;
  name: string;
  email: string;
  password_hash: string | null;
}

/** Emails are unique regardless of case (the merchants_email_key index is on lower(email)). */
export async function findMerchantLogin(db: Queryable, email: string): Promise<MerchantLogin | null> {
  const result = await db.query<MerchantLogin>({
    name: 'merchant-login-by-email',
    text: 'SELECT id, name, email, password_hash FROM merchants WHERE lower(email) = lower($1) AND is_active',
    values: [email],
  });
  return result.rows[0] ?? null;
}
