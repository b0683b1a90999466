import type { getRequestLog, RequestLogView } from '../../services/request-logs.js';
import { type Html, html } from '../html.js';
import { selectFilter } from './filter-fields.js';
import { none, query, timestamp } from './format.js';

export type RequestLogDetailView = Awaited<ReturnType<typeof getRequestLog>>;

export interface LogsFilter {
  status: string | null;
  method: string | null;
  path: string | null;
}

export interface LogsData {
  list: { data: RequestLogView[]; has_more: boolean };
  filter: LogsFilter;
  /** The cursor of this page (older entries than this one), if it is not the first. */
  after: string | null;
  /** The entry opened with ?log=…, or the id that was asked for and not found. */
  detail: RequestLogDetailView | { missing: string } | null;
}

export const LOG_STATUSES = ['2xx', '4xx', '5xx'] as const;
export const LOG_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const tone = (status: number) => (status < 300 ? 'good' : status < 500 ? 'wait' : 'bad');

function filters(filter: LogsFilter): Html {
  return html`<form class="filters" method="get" action="/dashboard/logs" data-test-id="logs-filter">
  ${selectFilter({ id: 'log-status-filter', name: 'status', label: 'Status', testId: 'log-status-filter', values: LOG_STATUSES, chosen: filter.status })}
  ${selectFilter({ id: 'log-method-filter', name: 'method', label: 'Method', testId: 'log-method-filter', values: LOG_METHODS, chosen: filter.method })}
  <div class="field field-inline">
    <label for="log-path-filter">Path starts with</label>
    <input id="log-path-filter" name="path" type="text" maxlength="200" autocomplete="off" placeholder="/api/v1/payments"
      value="${filter.path ?? ''}" data-test-id="log-path-filter">
  </div>
  <button type="submit" class="button" data-test-id="apply-log-filter-button">Filter</button>
</form>`;
}

function row(entry: RequestLogView, data: LogsData, open: boolean): Html {
  const href = `/dashboard/logs${query({ ...data.filter, after: data.after, log: entry.id })}#log-detail`;
  return html`<tr data-test-id="request-log-row" data-request-log-id="${entry.id}"${open ? html` class="is-open"` : null}>
  <td data-test-id="log-created-at">${timestamp(entry.created_at)}</td>
  <td data-test-id="log-method">${entry.method}</td>
  <td data-test-id="log-path" class="mono"><a href="${href}"${open ? html` aria-current="true"` : null}>${entry.path}</a></td>
  <td data-test-id="log-status"><span class="status status-${tone(entry.status)}">${entry.status}</span></td>
  <td data-test-id="log-duration" class="num">${entry.duration_ms} ms</td>
  <td class="mono">${entry.idempotency_key ?? none()}</td>
</tr>`;
}

function table(data: LogsData): Html {
  const detail = data.detail;
  const openId = detail && 'id' in detail ? detail.id : null;
  const filtered = data.filter.status || data.filter.method || data.filter.path;
  const empty = filtered
    ? html`No requests match these filters. <a href="/dashboard/logs">Show all requests</a>.`
    : html`No API requests yet. Every request your integration makes with its API key appears here.`;
  const last = data.list.data.at(-1);
  return html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="logs-caption">
  <table class="table" data-test-id="request-logs-table">
    <caption id="logs-caption">API requests, newest first</caption>
    <thead>
      <tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th>
        <th scope="col" class="num">Duration</th><th scope="col">Idempotency key</th></tr>
    </thead>
    <tbody>
      ${
        data.list.data.length === 0
          ? html`<tr class="empty-row"><td colspan="6"><p class="empty-state" data-test-id="logs-empty">${empty}</p></td></tr>`
          : data.list.data.map((entry) => row(entry, data, entry.id === openId))
      }
    </tbody>
  </table>
</div>
<nav class="pagination" aria-label="Log pages">
  ${data.after ? html`<a class="button button-quiet" href="/dashboard/logs${query({ ...data.filter })}" data-test-id="logs-newest">Newest</a>` : null}
  ${data.list.has_more && last ? html`<a class="button button-quiet" href="/dashboard/logs${query({ ...data.filter, after: last.id })}" data-test-id="logs-older">Older</a>` : null}
</nav>`;
}

const body = (value: unknown, label: string) =>
  value === null || value === undefined
    ? html`<p class="muted">${none()}</p>`
    : html`<pre class="code" tabindex="0" aria-label="${label}"><code>${JSON.stringify(value, null, 2)}</code></pre>`;

function detailSection(data: LogsData, closeHref: string): Html {
  const detail = data.detail;
  if (!detail) return html``;
  if ('missing' in detail) {
    return html`<section class="card detail" id="log-detail" data-test-id="log-detail" aria-labelledby="log-detail-title">
  <h2 id="log-detail-title" tabindex="-1" data-autofocus>Request not found</h2>
  <p class="error-state" data-test-id="log-not-found">There is no request <code>${detail.missing}</code> in your log.</p>
  <a class="button button-quiet" href="${closeHref}">Back to all requests</a>
</section>`;
  }
  const fact = (label: string, value: Html | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<section class="card detail" id="log-detail" data-test-id="log-detail" data-request-log-id="${detail.id}" aria-labelledby="log-detail-title">
  <div class="detail-head">
    <h2 id="log-detail-title" tabindex="-1" data-autofocus>${detail.method} <span class="mono">${detail.path}</span></h2>
    <a class="button button-quiet" href="${closeHref}" data-test-id="close-log-detail">Close</a>
  </div>
  <dl class="facts">
    ${fact('Status', html`<span class="status status-${tone(detail.status)}">${detail.status}</span>`)}
    ${fact('Duration', `${detail.duration_ms} ms`)}
    ${fact('Time', timestamp(detail.created_at))}
    ${fact('Request ID', html`<span class="mono">${detail.request_id}</span>`)}
    ${fact('Log entry', html`<span class="mono">${detail.id}</span>`)}
    ${fact('Idempotency key', detail.idempotency_key ? html`<span class="mono">${detail.idempotency_key}</span>` : none())}
  </dl>
  <p class="help">Bodies are stored redacted: card numbers keep only their last four digits; CVVs and secrets are never kept.</p>
  <h3>Request body</h3>
  <div data-test-id="log-request-body">${body(detail.request_body, 'Request body')}</div>
  <h3>Response body</h3>
  <div data-test-id="log-response-body">${body(detail.response_body, 'Response body')}</div>
</section>`;
}

export function logsView(data: LogsData): Html {
  const closeHref = `/dashboard/logs${query({ ...data.filter, after: data.after })}`;
  return html`<h1>Logs</h1>
<p class="muted">Every API request made with your API key, kept for a few days (the dashboard's own requests are not included).</p>
${filters(data.filter)}
${detailSection(data, closeHref)}
<div data-refresh-region="request-logs" data-pending="false">${table(data)}</div>`;
}
