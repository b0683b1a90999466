import type { Queryable } from './pool.js';

export interface NewRequestLog {
  id: string;
  merchantId: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  idempotencyKey: string | null;
  /** Redacted JSON text, or null. */
  requestBody: string | null;
  responseBody: string | null;
  createdAt: Date;
}

export interface RequestLogRecord {
  id: string;
  seq: number;
  request_id: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  idempotency_key: string | null;
  created_at: Date;
}

export type RequestLogDetailRecord = RequestLogRecord & {
  request_body: unknown;
  response_body: unknown;
};

const COLUMNS = 'id, seq, request_id, method, path, status, duration_ms, idempotency_key, created_at';

/**
 * The entries as one JSON document: the bodies, JSON text already, go in as they are. Passed as
 * arrays instead, every body was escaped into an array literal here and parsed out of it there —
 * the largest part of the log's cost, in both processes.
 */
function entriesDocument(logs: NewRequestLog[]): string {
  const text = JSON.stringify;
  const entries = logs.map(
    (l) =>
      `{"id":${text(l.id)},"merchant_id":${text(l.merchantId)},"request_id":${text(l.requestId)},` +
      `"method":${text(l.method)},"path":${text(l.path)},"status":${l.status},"duration_ms":${l.durationMs},` +
      `"idempotency_key":${text(l.idempotencyKey)},"request_body":${l.requestBody ?? 'null'},` +
      `"response_body":${l.responseBody ?? 'null'},"created_at":${text(l.createdAt.toISOString())}}`,
  );
  return `[${entries.join(',')}]`;
}

/** Request log entries, written with one statement. */
export async function insertRequestLogs(db: Queryable, logs: NewRequestLog[]): Promise<void> {
  await db.query({
    name: 'request-log-insert',
    text: `INSERT INTO request_logs (id, merchant_id, request_id, method, path, status, duration_ms, idempotency_key,
                                       request_body, response_body, created_at)
             SELECT * FROM json_to_recordset($1::json)
               AS e(id text, merchant_id uuid, request_id text, method text, path text, status int, duration_ms float8,
                    idempotency_key text, request_body json, response_body json, created_at timestamptz)`,
    values: [entriesDocument(logs)],
  });
}

export interface RequestLogQuery {
  /** Inclusive status range. */
  status?: [number, number];
  method?: string;
  /** Paths starting with this. */
  pathPrefix?: string;
  limit: number;
  /** Older than this seq. */
  before?: number;
  /** Newer than this seq (listed oldest first; the caller reverses). */
  after?: number;
}

/** A page of a merchant's request log, newest first by seq; one row more than the limit when there are more. */
export async function listRequestLogs(
  db: Queryable,
  merchantId: string,
  query: RequestLogQuery,
): Promise<RequestLogRecord[]> {
  const values: unknown[] = [merchantId];
  const conditions = ['merchant_id = $1'];
  const add = (condition: (n: number) => string, ...more: unknown[]) => {
    values.push(...more);
    conditions.push(condition(values.length - more.length + 1));
  };
  if (query.status) add((n) => `status BETWEEN $${n} AND $${n + 1}`, ...query.status);
  if (query.method) add((n) => `method = $${n}`, query.method);
  if (query.pathPrefix) add((n) => `starts_with(path, $${n})`, query.pathPrefix);
  if (query.before !== undefined) add((n) => `seq < $${n}`, query.before);
  if (query.after !== undefined) add((n) => `seq > $${n}`, query.after);
  values.push(query.limit + 1);
  const result = await db.query<RequestLogRecord>({
    text: `SELECT ${COLUMNS} FROM request_logs WHERE ${conditions.join(' AND ')}
           ORDER BY seq ${query.after !== undefined ? 'ASC' : 'DESC'} LIMIT $${values.length}`,
    values,
  });
  return result.rows;
}

export async function findRequestLog(
  db: Queryable,
  id: string,
  merchantId: string,
): Promise<RequestLogDetailRecord | null> {
  const result = await db.query<RequestLogDetailRecord>({
    name: 'request-log-find',
    text: `SELECT ${COLUMNS}, request_body, response_body FROM request_logs WHERE id = $1 AND merchant_id = $2`,
    values: [id, merchantId],
  });
  return result.rows[0] ?? null;
}

/** Retention: removes entries older than `before`, a batch at a time. */
export async function purgeRequestLogs(db: Queryable, before: Date, limit: number): Promise<number> {
  const result = await db.query({
    text: `DELETE FROM request_logs WHERE id IN (
             SELECT id FROM request_logs WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
    values: [before, limit],
  });
  return result.rowCount ?? 0;
}
