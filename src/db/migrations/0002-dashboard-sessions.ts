/**
 * Dashboard sign-in: server-side sessions (the browser holds only a signed random token, whose hash
 * is the key here) and a small table of generated process-wide secrets, so that every API process
 * signs session cookies with the same key even when SESSION_SECRET is not configured.
 */
export const sql = /* sql */ `
CREATE TABLE dashboard_sessions (
  token_hash    text PRIMARY KEY,
  merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_merchant ON dashboard_sessions (merchant_id);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);

CREATE TABLE gateway_secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
`;
