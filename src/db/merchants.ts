import type { MerchantRecord } from '../domain/records.js';
import type { Queryable } from './pool.js';

const COLUMNS = 'id, name, email, api_key, api_secret, webhook_url, webhook_secret, created_at';

export async function findMerchantByApiKey(db: Queryable, apiKey: string): Promise<MerchantRecord | null> {
  const result = await db.query<MerchantRecord>({
    name: 'merchant-by-key',
    text: `SELECT ${COLUMNS} FROM merchants WHERE api_key = $1 AND is_active`,
    values: [apiKey],
  });
  return result.rows[0] ?? null;
}

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
  api_secret: string;
  webhook_secret: string;
  password_hash: string | null;
}

/** Returns null when the email is taken. */
export async function insertMerchant(db: Queryable, merchant: NewMerchant): Promise<MerchantRecord | null> {
  const result = await db.query<MerchantRecord>({
    text: `INSERT INTO merchants (name, email, api_key, api_secret, webhook_secret, password_hash)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    values: [
      merchant.name,
      merchant.email,
      merchant.api_key,
      merchant.api_secret,
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
