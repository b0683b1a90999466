import type { Queryable } from './pool.js';

/** The contract's public test merchant; its credentials are published test credentials. */
export const TEST_MERCHANT = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  name: 'Test Merchant',
  email: 'test@example.com',
  api_key: 'key_test_abc123',
  api_secret: 'secret_test_xyz789',
  webhook_secret: 'whsec_test_abc123',
} as const;

/** Idempotent: an existing test merchant (and its configured webhook URL) is left as it is. */
export async function seedTestMerchant(db: Queryable): Promise<void> {
  const m = TEST_MERCHANT;
  await db.query(
    `INSERT INTO merchants (id, name, email, api_key, api_secret, webhook_secret)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [m.id, m.name, m.email, m.api_key, m.api_secret, m.webhook_secret],
  );
}
