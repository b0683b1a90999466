/** The initial schema: one row per fact, committed before any queue hears of it. */
export const sql = /* sql */ `
CREATE TABLE merchants (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL,
  email           text NOT NULL,
  api_key         text NOT NULL UNIQUE,
  api_secret      text NOT NULL,
  webhook_url     text,
  webhook_secret  text NOT NULL,
  password_hash   text,
  is_active       boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX merchants_email_key ON merchants (lower(email));

CREATE TABLE orders (
  id           text PRIMARY KEY CHECK (id ~ '^order_[A-Za-z0-9]{16}$'),
  merchant_id  uuid NOT NULL REFERENCES merchants (id),
  amount       bigint NOT NULL CHECK (amount >= 100),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  receipt      text,
  notes        json NOT NULL DEFAULT '{}',
  status       text NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'paid')),
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX orders_merchant_created ON orders (merchant_id, created_at DESC, id DESC);

CREATE TABLE payments (
  id                 text PRIMARY KEY CHECK (id ~ '^pay_[A-Za-z0-9]{16}$'),
  order_id           text NOT NULL REFERENCES orders (id),
  merchant_id        uuid NOT NULL REFERENCES merchants (id),
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           text NOT NULL,
  method             text NOT NULL CHECK (method IN ('upi', 'card')),
  vpa                text,
  card_network       text,
  card_last4         text CHECK (card_last4 ~ '^[0-9]{4}$'),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed')),
  captured           boolean NOT NULL DEFAULT false,
  -- Sum of pending and processed refunds; the CHECK is a last line of defence against over-refunds.
  amount_refunded    bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
  error_code         text,
  error_description  text,
  test_decline       boolean NOT NULL DEFAULT false,
  process_after      timestamptz NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CHECK ((method = 'upi' AND vpa IS NOT NULL) OR (method = 'card' AND card_last4 IS NOT NULL))
);
CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at DESC, id DESC);
CREATE INDEX payments_merchant_status_created ON payments (merchant_id, status, created_at DESC, id DESC);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_pending_due ON payments (process_after) WHERE status = 'pending';

CREATE TABLE refunds (
  id             text PRIMARY KEY CHECK (id ~ '^rfnd_[A-Za-z0-9]{16}$'),
  payment_id     text NOT NULL REFERENCES payments (id),
  merchant_id    uuid NOT NULL REFERENCES merchants (id),
  amount         bigint NOT NULL CHECK (amount > 0),
  reason         text,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed')),
  process_after  timestamptz NOT NULL,
  created_at     timestamptz NOT NULL,
  processed_at   timestamptz,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX refunds_payment_created ON refunds (payment_id, created_at DESC, id DESC);
CREATE INDEX refunds_merchant_created ON refunds (merchant_id, created_at DESC, id DESC);
CREATE INDEX refunds_pending_due ON refunds (process_after) WHERE status = 'pending';

CREATE TABLE webhook_logs (
  id               uuid PRIMARY KEY,
  merchant_id      uuid NOT NULL REFERENCES merchants (id),
  event            text NOT NULL,
  resource_id      text,
  payload          text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  -- Bumped by a manual retry, so jobs of an earlier round can never act on the new one.
  generation       integer NOT NULL DEFAULT 0,
  last_attempt_at  timestamptz,
  next_retry_at    timestamptz,
  -- A delivery in flight holds the lease; another worker may take the row only once it lapses.
  lease_until      timestamptz,
  response_code    integer,
  response_body    text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX webhook_logs_merchant_created ON webhook_logs (merchant_id, created_at DESC, id DESC);
CREATE INDEX webhook_logs_merchant_resource ON webhook_logs (merchant_id, resource_id);
CREATE INDEX webhook_logs_pending_due ON webhook_logs (next_retry_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_log_id  uuid NOT NULL REFERENCES webhook_logs (id) ON DELETE CASCADE,
  generation      integer NOT NULL,
  attempt         integer NOT NULL,
  url             text,
  response_code   integer,
  response_body   text,
  error           text,
  duration_ms     integer NOT NULL,
  attempted_at    timestamptz NOT NULL
);
CREATE INDEX webhook_attempts_log ON webhook_attempts (webhook_log_id, id);

CREATE TABLE idempotency_keys (
  merchant_id      uuid NOT NULL REFERENCES merchants (id),
  key              text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash     text NOT NULL,
  response_status  integer NOT NULL,
  response_body    text NOT NULL,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
`;
