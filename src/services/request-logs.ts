import type { Static } from 'typebox';
import { createPool, type Pool } from '../db/pool.js';
import {
  findRequestLog,
  insertRequestLogs,
  listRequestLogs as listRows,
  type NewRequestLog,
  type RequestLogRecord,
} from '../db/request-logs.js';
import { WriteBehind } from '../db/write-behind.js';
import { badRequest, notFound } from '../domain/errors.js';
import { isId, newId } from '../domain/ids.js';
import { redact, redactedJsonText } from '../domain/redaction.js';
import type { Runtime } from '../runtime.js';
import type { RequestLog, RequestLogDetail } from '../shapes/index.js';
import { cursorBounds, cursorPage, refuseBothCursors } from './cursor-page.js';

/** Past this many entries waiting for the database, new ones are dropped (and counted) rather than queued. */
const MAX_WAITING = 10_000;
/** Entries per statement at most. */
const MAX_BATCH = 500;
/** Bodies longer than this are stored as a note of their size. */
const MAX_BODY_CHARS = 64 * 1024;

export interface RecordedRequest {
  merchantId: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  idempotencyKey: string | undefined;
  /** The parsed request body, if any. */
  requestBody: unknown;
  /** The response body as sent, if it was JSON text. */
  responseBody: string | undefined;
  at: Date;
}

/** Bodies longer than this are stored as a note of their size, not as themselves. */
function capped(text: string | null): string | null {
  return text !== null && text.length > MAX_BODY_CHARS
    ? JSON.stringify({ truncated: true, chars: text.length })
    : text;
}

/**
 * The request body as the request log keeps it: redacted JSON text, or null. Redacted before it is
 * serialised, since redact() also cuts a body nested deeper than any real request, which
 * JSON.stringify alone could not even walk.
 */
function storedRequestBody(value: unknown): string | null {
  return value === undefined || value === null ? null : capped(JSON.stringify(redact(value)));
}

/** The response body as sent, if JSON, as the request log keeps it: redacted, or null. */
function storedResponseBody(body: string | undefined): string | null {
  return body ? capped(redactedJsonText(body)) : null;
}

/**
 * Writes the request log off the request path: an entry is queued once the response has gone, and
 * written behind it on a connection of its own, one statement at a time carrying everything queued
 * meanwhile, so logging never takes a connection a request is waiting for. A failed write is
 * logged, never answered. close() waits for what is queued.
 */
export class RequestLogRecorder {
  private readonly pool: Pool;
  private readonly writer: WriteBehind<NewRequestLog>;
  private dropped = 0;

  constructor(private readonly runtime: Runtime) {
    this.pool = createPool(runtime.config, runtime.log, 'request-log', { max: 1 });
    this.writer = new WriteBehind(
      (entries) => insertRequestLogs(this.pool, entries),
      (err, entries) => runtime.log.warn({ err: err.message, entries }, 'writing the request log failed'),
      MAX_BATCH,
      MAX_WAITING,
    );
  }

  record(request: RecordedRequest): void {
    const queued = this.writer.add({
      id: newId('requestLog'),
      merchantId: request.merchantId,
      requestId: request.requestId,
      method: request.method,
      path: request.path.slice(0, 2048),
      status: request.status,
      durationMs: Math.round(request.durationMs * 10) / 10,
      idempotencyKey: request.idempotencyKey?.slice(0, 255) ?? null,
      requestBody: storedRequestBody(request.requestBody),
      responseBody: storedResponseBody(request.responseBody),
      createdAt: request.at,
    });
    if (!queued) {
      this.dropped += 1;
      if (this.dropped % 1000 === 1)
        this.runtime.log.warn({ dropped: this.dropped }, 'request log behind: entries dropped');
    }
  }

  async close(): Promise<void> {
    await this.writer.flushed();
    await this.pool.end();
  }
}

export type RequestLogView = Static<typeof RequestLog>;

function requestLogView(row: RequestLogRecord): RequestLogView {
  return {
    id: row.id,
    request_id: row.request_id,
    method: row.method,
    path: row.path,
    status: row.status,
    duration_ms: row.duration_ms,
    idempotency_key: row.idempotency_key,
    created_at: row.created_at.toISOString(),
  };
}

/** `201` → [201, 201]; `4xx` → [400, 499]. */
function statusRange(status: string | undefined): [number, number] | undefined {
  if (status === undefined) return undefined;
  if (status.endsWith('xx')) {
    const hundreds = Number(status[0]) * 100;
    return [hundreds, hundreds + 99];
  }
  return [Number(status), Number(status)];
}

async function seqOf(runtime: Runtime, merchantId: string, id: string, field: string): Promise<number> {
  const row = isId('requestLog', id) ? await findRequestLog(runtime.db, id, merchantId) : null;
  if (!row) throw badRequest(`${field} must be the id of one of your request log entries`, field);
  return row.seq;
}

const MAX_PAGE = 100;

export async function listRequestLogs(
  runtime: Runtime,
  merchantId: string,
  query: {
    status?: string;
    method?: string;
    path?: string;
    limit?: number;
    starting_after?: string;
    ending_before?: string;
  },
) {
  refuseBothCursors(query);
  const bounds = await cursorBounds(query, MAX_PAGE, (id, field) => seqOf(runtime, merchantId, id, field));
  const rows = await listRows(runtime.db, merchantId, {
    status: statusRange(query.status),
    method: query.method?.toUpperCase(),
    pathPrefix: query.path,
    ...bounds,
  });
  return cursorPage(rows, bounds, requestLogView);
}

export async function getRequestLog(
  runtime: Runtime,
  merchantId: string,
  id: string,
): Promise<Static<typeof RequestLogDetail>> {
  const row = isId('requestLog', id) ? await findRequestLog(runtime.db, id, merchantId) : null;
  if (!row) throw notFound('Request log entry');
  return { ...requestLogView(row), request_body: row.request_body, response_body: row.response_body };
}
