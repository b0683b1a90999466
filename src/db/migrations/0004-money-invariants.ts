/**
 * One successful payment per order, idempotency records that keep nothing derived from card
 * secrets, and column types readers of the schema rely on.
 *
 * - Idempotency keys: the stored fingerprint of a request used to hash its whole body, card number
 *   and CVV included, so the CVV could be recovered by guessing. Those rows are dropped (they only
 *   live 24 hours) and the new fingerprint never sees the CVV or more of the card than its last four
 *   digits. The answer is kept whole in one `json` column (json keeps the exact bytes a replay
 *   sends). Keys sent without credentials get a namespace of their own (a prefix no header can
 *   carry), hence the longer limit.
 * - Webhook payloads are `json` for the same reason: the exact signed bytes, typed.
 * - A payment records which test value it was made with (its test outcome), not just "declined".
 * - The unique partial index is the last line of defence behind the decision statement, which
 *   already refuses a second success; it is not created over history that breaks it.
 */
export const sql = /* sql */ `
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys
  DROP CONSTRAINT IF EXISTS idempotency_keys_key_check,
  DROP COLUMN request_hash,
  DROP COLUMN response_status,
  DROP COLUMN response_body,
  ADD COLUMN fingerprint text NOT NULL,
  ADD COLUMN response json NOT NULL,
  ADD CONSTRAINT idempotency_keys_key_length CHECK (length(key) BETWEEN 1 AND 300);

ALTER TABLE webhook_logs ALTER COLUMN payload TYPE json USING payload::json;
CREATE INDEX webhook_logs_status ON webhook_logs (status, created_at);

ALTER TABLE payments ADD COLUMN test_outcome text;
UPDATE payments SET test_outcome = 'PAYMENT_FAILED' WHERE test_decline;
ALTER TABLE payments DROP COLUMN test_decline;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM payments WHERE status = 'success' GROUP BY order_id HAVING count(*) > 1) THEN
    RAISE WARNING 'some orders have more than one successful payment; payments_one_success_per_order not created';
  ELSE
    CREATE UNIQUE INDEX payments_one_success_per_order ON payments (order_id) WHERE status = 'success';
  END IF;
END $$;
`;
