/**
 * Event → delivery → attempt.
 *
 * - events: every state change a merchant may hear of, recorded whether or not any endpoint exists
 *   (`data` is the object webhook payloads carry). `seq` orders them for cursor pagination and for
 *   the event stream; ids are random.
 * - webhook_endpoints: several per merchant, each with its own filter, status and secrets. The
 *   merchant's webhook_url is its default endpoint (is_default); merchants.webhook_url and
 *   merchants.webhook_secret mirror it, so the original calls and readers keep working.
 * - webhook_endpoint_secrets: the current secret (expires_at null) and older ones still valid for an
 *   overlap after a rotation.
 * - webhook_logs rows are deliveries: one per event and endpoint. Existing rows are attached to their
 *   merchant's default endpoint; pending ones of a merchant without a URL could never be delivered
 *   and end failed.
 * - A statement that writes deliveries notifies `gateway_deliveries`, so the dispatcher starts them
 *   at once (a retry reset or resend bumps `generation` and notifies too).
 */
export const sql = /* sql */ `
CREATE TABLE events (
  id           text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9]{16}$'),
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  merchant_id  uuid NOT NULL REFERENCES merchants (id),
  type         text NOT NULL,
  resource_id  text,
  data         json NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX events_merchant_seq ON events (merchant_id, seq DESC);
CREATE INDEX events_resource ON events (resource_id, seq DESC);
CREATE INDEX events_created ON events (created_at);

CREATE TABLE webhook_endpoints (
  id              text PRIMARY KEY CHECK (id ~ '^we_[A-Za-z0-9]{16}$'),
  merchant_id     uuid NOT NULL REFERENCES merchants (id),
  url             text NOT NULL,
  description     text,
  enabled_events  text[] NOT NULL DEFAULT '{*}',
  status          text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  is_default      boolean NOT NULL DEFAULT false,
  -- Start of an unbroken run of failed attempts (null after any success): the auto-disable clock.
  failing_since   timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  deleted_at      timestamptz
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, created_at DESC, id DESC)
  WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX webhook_endpoints_one_default ON webhook_endpoints (merchant_id)
  WHERE is_default AND deleted_at IS NULL;

CREATE TABLE webhook_endpoint_secrets (
  endpoint_id  text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  secret       text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  PRIMARY KEY (endpoint_id, secret)
);

ALTER TABLE webhook_logs
  ADD COLUMN endpoint_id text REFERENCES webhook_endpoints (id),
  ADD COLUMN event_id text REFERENCES events (id) ON DELETE SET NULL;
CREATE INDEX webhook_logs_endpoint_due ON webhook_logs (endpoint_id, next_retry_at) WHERE status = 'pending';
CREATE INDEX webhook_logs_endpoint_created ON webhook_logs (endpoint_id, created_at);
CREATE INDEX webhook_logs_event ON webhook_logs (event_id);

ALTER TABLE webhook_attempts ADD COLUMN request_headers json;

-- Default endpoints of merchants with a webhook URL, and their deliveries so far.
INSERT INTO webhook_endpoints (id, merchant_id, url, is_default, created_at, updated_at)
SELECT 'we_' || substr(md5(random()::text || id::text), 1, 16), id, webhook_url, true, now(), now()
FROM merchants WHERE webhook_url IS NOT NULL;
INSERT INTO webhook_endpoint_secrets (endpoint_id, secret, created_at)
SELECT we.id, m.webhook_secret, now() FROM webhook_endpoints we JOIN merchants m ON m.id = we.merchant_id;
UPDATE webhook_logs l SET endpoint_id = we.id
FROM webhook_endpoints we WHERE we.merchant_id = l.merchant_id AND we.is_default;
UPDATE webhook_logs SET status = 'failed', next_retry_at = NULL
WHERE endpoint_id IS NULL AND status = 'pending';

CREATE FUNCTION notify_deliveries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted) THEN PERFORM pg_notify('gateway_deliveries', ''); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_logs_inserted AFTER INSERT ON webhook_logs
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION notify_deliveries_inserted();

CREATE FUNCTION notify_deliveries_restarted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gateway_deliveries', '');
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_logs_restarted AFTER UPDATE OF generation ON webhook_logs
  FOR EACH STATEMENT EXECUTE FUNCTION notify_deliveries_restarted();
`;
