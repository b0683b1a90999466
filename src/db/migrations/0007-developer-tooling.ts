/**
 * Developer tooling: the event stream and the request log.
 *
 * - events.xid: the transaction that recorded the event. Identity values are handed out before
 *   commit, so a later seq can commit first; the stream therefore reads in (xid, seq) order and only
 *   below the oldest transaction still running in this database, where nothing can appear behind
 *   its cursor any more. Rows recorded before this migration share its transaction.
 * - event_stream_listeners: merchants with an open event stream somewhere (renewed while it is
 *   open). Only their events are announced on `gateway_events` (payload: the merchant id), so a
 *   merchant nobody listens to costs the hot path no NOTIFY, whose commit-time lock would serialise
 *   commits. A missed announcement costs latency only: streams also poll.
 * - request_logs: every authenticated API request, redacted before it is written; `seq` orders the
 *   cursor pages, `created_at` drives retention.
 */
export const sql = /* sql */ `
ALTER TABLE events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_merchant_stream ON events (merchant_id, xid, seq);

CREATE TABLE event_stream_listeners (
  merchant_id  uuid PRIMARY KEY REFERENCES merchants (id),
  until        timestamptz NOT NULL
);

CREATE FUNCTION notify_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gateway_events', l.merchant_id::text)
  FROM event_stream_listeners l
  WHERE l.until > now() AND l.merchant_id IN (SELECT merchant_id FROM inserted);
  RETURN NULL;
END $$;
CREATE TRIGGER events_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION notify_events_inserted();

CREATE TABLE request_logs (
  id               text PRIMARY KEY CHECK (id ~ '^req_[A-Za-z0-9]{16}$'),
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  merchant_id      uuid NOT NULL REFERENCES merchants (id),
  request_id       text NOT NULL,
  method           text NOT NULL,
  path             text NOT NULL,
  status           integer NOT NULL,
  duration_ms      double precision NOT NULL,
  idempotency_key  text,
  request_body     json,
  response_body    json,
  created_at       timestamptz NOT NULL
);
CREATE INDEX request_logs_merchant_seq ON request_logs (merchant_id, seq DESC);
CREATE INDEX request_logs_created ON request_logs (created_at);
`;
