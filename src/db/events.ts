/**
 * Events become webhook_logs rows inside the statement that changes state, so both commit together.
 * A merchant without a webhook URL gets no rows. Callers splice eventInsert() into a CTE in which a
 * relation named `changed` has `merchant_id` and `resource_id` columns; each event row is written for
 * the changed row whose resource_id it names, so one statement can carry the events of many changes.
 */
export interface PendingEvent {
  id: string;
  resourceId: string;
  event: string;
  payload: string;
}

export function eventColumns(events: PendingEvent[]): [string[], string[], string[], string[]] {
  return [
    events.map((e) => e.id),
    events.map((e) => e.resourceId),
    events.map((e) => e.event),
    events.map((e) => e.payload),
  ];
}

/**
 * `first` is the parameter position of eventColumns()' four arrays; `now` the position of the
 * timestamp (or a column of `changed`, e.g. 'changed.at'); `payload` an expression over `e.payload`
 * when the statement completes the payload itself.
 */
export function eventInsert(first: number, now: number | string, payload = 'e.payload'): string {
  const at = typeof now === 'number' ? `$${now}` : now;
  return `INSERT INTO webhook_logs (id, merchant_id, event, resource_id, payload, next_retry_at, created_at, updated_at)
    SELECT e.id, changed.merchant_id, e.event, changed.resource_id, ${payload}, ${at}, ${at}, ${at}
    FROM unnest($${first}::uuid[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[])
           WITH ORDINALITY AS e(id, resource_id, event, payload, n)
    JOIN changed ON changed.resource_id = e.resource_id
    JOIN merchants m ON m.id = changed.merchant_id AND m.webhook_url IS NOT NULL
    ORDER BY e.n
    RETURNING id, resource_id`;
}
