/**
 * Events become webhook_logs rows inside the statement that changes state, so both commit together.
 * A merchant without a webhook URL gets no rows. Callers splice EVENT_INSERT into a CTE in which a
 * relation named `changed` has `merchant_id` and `resource_id` columns.
 */
export interface PendingEvent {
  id: string;
  event: string;
  payload: string;
}

export function eventColumns(events: PendingEvent[]): [string[], string[], string[]] {
  return [events.map((e) => e.id), events.map((e) => e.event), events.map((e) => e.payload)];
}

/** `$ids`, `$events`, `$payloads` and `$now` are the parameter positions of the caller's query. */
export function eventInsert(ids: number, events: number, payloads: number, now: number): string {
  return `INSERT INTO webhook_logs (id, merchant_id, event, resource_id, payload, next_retry_at, created_at, updated_at)
    SELECT e.id, changed.merchant_id, e.event, changed.resource_id, e.payload, $${now}, $${now}, $${now}
    FROM changed
    JOIN merchants m ON m.id = changed.merchant_id AND m.webhook_url IS NOT NULL
    CROSS JOIN unnest($${ids}::uuid[], $${events}::text[], $${payloads}::text[]) WITH ORDINALITY AS e(id, event, payload, n)
    ORDER BY e.n
    RETURNING id`;
}
