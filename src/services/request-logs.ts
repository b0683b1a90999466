import type { Static } from 'typebox';
import {
  findRequestLog,
  insertRequestLog,
  listRequestLogs as listRows,
  type NewRequestLog,
  type RequestLogRecord,
} from '../db/request-logs.js';
import { badRequest, notFound } from '../domain/errors.js';
import { isId, newId } from '../domain/ids.js';
import { redact } from '../domain/redaction.js';
import type { Runtime } from '../runtime.js';
import type { RequestLog, RequestLogDetail } from '../shapes/index.js';
import { cursorBounds, cursorPage } from './cursor-page.js';

/** Past this many entries waiting for the database, new ones are dropped (and counted) rather than queued. */
const MAX_WAITING = 10_000;
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
  /** The response body as sent, if it was text. */
  responseBody: string | undefined;
  at: Date;
}

/** A body as the request log keeps it: redacted JSON text, or null. */
function storedBody(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(redact(value));
  return text.length > MAX_BODY_CHARS ? JSON.stringify({ truncated: true, chars: text.length }) : text;
}

function parsedResponse(body: string | undefined): unknown {
  if (!body) return null;
  try {
    return JSON.parse(body);
  } catch {
    return null; // not JSON: nothing the log shows
  }
}

/**
 * Writes the request log off the request path: an entry is handed to the batching repository when
 * the response has gone, one statement per event-loop turn, and a failed write is logged, never
 * answered. close() waits for the writes in flight.
 */
export class RequestLogRecorder {
  private readonly writing = new Set<Promise<void>>();
  private dropped = 0;

  constructor(private readonly runtime: Runtime) {}

  record(request: RecordedRequest): void {
    if (this.writing.size >= MAX_WAITING) {
      this.dropped += 1;
      if (this.dropped % 1000 === 1)
        this.runtime.log.warn({ dropped: this.dropped }, 'request log behind: entries dropped');
      return;
    }
    const entry: NewRequestLog = {
      id: newId('requestLog'),
      merchantId: request.merchantId,
      requestId: request.requestId,
      method: request.method,
      path: request.path.slice(0, 2048),
      status: request.status,
      durationMs: Math.round(request.durationMs * 10) / 10,
      idempotencyKey: request.idempotencyKey?.slice(0, 255) ?? null,
      requestBody: storedBody(request.requestBody),
      responseBody: storedBody(parsedResponse(request.responseBody)),
      createdAt: request.at,
    };
    const write = insertRequestLog(this.runtime.db, entry)
      .catch((err: Error) => this.runtime.log.warn({ err: err.message }, 'writing the request log failed'))
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  async close(): Promise<void> {
    await Promise.all([...this.writing]);
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
