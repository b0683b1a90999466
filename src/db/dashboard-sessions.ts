import type { Queryable } from './pool.js';

/** dashboard_sessions rows. The token itself is never stored: only its SHA-256. */
export interface SessionRow {
  token_hash: string;
  merchant_id: string;
  merchant_name: string;
  merchant_email: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export async function insertSession(
  db: Queryable,
  session: { tokenHash: string; merchantId: string; csrfToken: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db.query({
    name: 'dashboard-session-insert',
    text: `INSERT INTO dashboard_sessions (token_hash, merchant_id, csrf_token, created_at, last_seen_at, expires_at)
           VALUES ($1, $2, $3, $4, $4, $5)`,
    values: [session.tokenHash, session.merchantId, session.csrfToken, session.now, session.expiresAt],
  });
}

/** A live session with its merchant; expired and deactivated-merchant sessions are not found. */
export async function findSession(db: Queryable, tokenHash: string, now: Date): Promise<SessionRow | null> {
  const result = await db.query<SessionRow>({
    name: 'dashboard-session-find',
    text: `SELECT s.token_hash, s.merchant_id, m.name AS merchant_name, m.email AS merchant_email, s.csrf_token,
                  s.created_at, s.last_seen_at, s.expires_at
           FROM dashboard_sessions s JOIN merchants m ON m.id = s.merchant_id AND m.is_active
           WHERE s.token_hash = $1 AND s.expires_at > $2`,
    values: [tokenHash, now],
  });
  return result.rows[0] ?? null;
}

export async function touchSession(db: Queryable, tokenHash: string, now: Date, expiresAt: Date) {
  await db.query({
    name: 'dashboard-session-touch',
    text: 'UPDATE dashboard_sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1',
    values: [tokenHash, now, expiresAt],
  });
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query({
    name: 'dashboard-session-delete',
    text: 'DELETE FROM dashboard_sessions WHERE token_hash = $1',
    values: [tokenHash],
  });
}

export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const result = await db.query({
    name: 'dashboard-session-purge',
    text: 'DELETE FROM dashboard_sessions WHERE expires_at <= $1',
    values: [now],
  });
  return result.rowCount ?? 0;
}
