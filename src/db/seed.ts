import { hashApiSecret } from '../domain/api-secrets.js';
import type { Queryable } from './pool.js';

/**
 * The public test merchant (docs/api.md); its credentials are published test credentials. It is seeded always
 * but authenticates only in test mode: outside it, these credentials open nothing, whatever the
 * database holds.
 */
export const TEST_MERCHANT = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  name: 'Test Merchant',
  email: 'test@example.com',
  api_key: 'key_test_abc123',
  api_secret: 'secret_test_xyz789',
  webhook_secret: 'whsec_test_abc123',
} as const;

/**
 * Whether a (active) merchant may authenticate, sign in or be paid: every merchant may, except the
 * public test merchant outside test mode.
 */
export function merchantMayAct(merchantId: string, testMode: boolean): boolean {
  return testMode || merchantId !== TEST_MERCHANT.id;
}

/**
 * Idempotent: an existing test merchant (and its configured webhook URL) is left as it is. Like
 * every merchant's, its secret is stored only as a hash.
 */
export async function seedTestMerchant(db: Queryable): Promise<void> {
  const m = TEST_MERCHANT;
  await db.query(
    `INSERT INTO merchants (id, name, email, api_key, api_secret_hash, webhook_secret)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [m.id, m.name, m.email, m.api_key, hashApiSecret(m.api_secret), m.webhook_secret],
  );
}
