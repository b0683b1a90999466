import { randomBytes } from 'node:crypto';
import { insertMerchant } from '../../src/db/merchants.js';
import type { Queryable } from '../../src/db/pool.js';
import { hashApiSecret } from '../../src/domain/api-secrets.js';
import { newWebhookSecret } from '../../src/domain/signing.js';

export interface TestMerchant {
  id: string;
  key: string;
  secret: string;
  webhookSecret: string;
}

/**
 * A second (third, …) merchant, to prove isolation. Its secret is known only here: the database
 * keeps its hash, as for every merchant.
 */
export async function createMerchant(db: Queryable, name = 'Other Merchant'): Promise<TestMerchant> {
  const suffix = randomBytes(6).toString('hex');
  const secret = `secret_test_${randomBytes(12).toString('hex')}`;
  const merchant = await insertMerchant(db, {
    name,
    email: `merchant-${suffix}@example.com`,
    api_key: `key_test_${suffix}`,
    api_secret_hash: hashApiSecret(secret),
    webhook_secret: newWebhookSecret(),
    password_hash: null,
  });
  if (!merchant) throw new Error('merchant not created');
  return {
    id: merchant.id,
    key: merchant.api_key,
    secret,
    webhookSecret: merchant.webhook_secret,
  };
}
