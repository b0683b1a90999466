/**
 * A delivery has a due time exactly while it is pending (a CHECK now says so), and the claim's
 * per-endpoint index is keyed on that: `webhook_logs_endpoint_due` covers the rows with a due time.
 *
 * Why: the claim looks at each endpoint's due deliveries in due order. With both partial indexes on
 * `status = 'pending'`, the planner could walk `webhook_logs_pending_due` (every endpoint's pending
 * deliveries in due order) and filter by endpoint, and statistics that saw one endpoint holding
 * nearly every delivery told it the filter cost nothing: with eight endpoints and 30,000 pending
 * deliveries of one, a claim took 45-80 ms, scanning them all once for each idle endpoint. The claim
 * now selects by `next_retry_at`, which only this index's predicate covers, so each endpoint is an
 * index range of its own.
 *
 * Rows from before this rule: a finished delivery's leftover due time is cleared, and a pending one
 * without a due time is due from its creation.
 */
export const sql = /* sql */ `
UPDATE webhook_logs SET next_retry_at = NULL WHERE status <> 'pending' AND next_retry_at IS NOT NULL;
UPDATE webhook_logs SET next_retry_at = created_at WHERE status = 'pending' AND next_retry_at IS NULL;
ALTER TABLE webhook_logs
  ADD CONSTRAINT webhook_logs_due_while_pending CHECK ((status = 'pending') = (next_retry_at IS NOT NULL));
DROP INDEX webhook_logs_endpoint_due;
CREATE INDEX webhook_logs_endpoint_due ON webhook_logs (endpoint_id, next_retry_at) WHERE next_retry_at IS NOT NULL;
`;
