import { EVENT_TYPES } from '../../domain/events.js';
import { type Html, html } from '../html.js';
import { none, query, statusBadge, timestamp } from './format.js';
import { pagination } from './pagination.js';
import { type DeliverySummary, webhookLogRows } from './webhook-tables.js';

export interface DeliveryDetail extends DeliverySummary {
  resource_id: string | null;
  payload: object;
  response_body: string | null;
  attempt_history: Array<{
    attempt: number;
    round: number;
    url: string | null;
    response_code: number | null;
    response_body: string | null;
    error: string | null;
    duration_ms: number;
    attempted_at: string;
  }>;
}

export interface WebhooksData {
  config: { webhook_url: string | null; webhook_secret: string };
  logs: { data: DeliverySummary[]; total: number; limit: number; offset: number };
  filter: { status: string | null; event: string | null };
  page: number;
  detail: DeliveryDetail | { missing: string } | null;
}

export const WEBHOOK_STATUSES = ['pending', 'success', 'failed'] as const;

function configSection(config: WebhooksData['config']): Html {
  return html`<section class="card" data-test-id="webhook-config" aria-labelledby="config-title">
  <h2 id="config-title">Webhook configuration</h2>
  <form class="form" data-test-id="webhook-config-form" data-form="webhook-config" novalidate>
    <div class="field">
      <label for="webhook-url">Webhook URL</label>
      <input id="webhook-url" name="webhook_url" type="url" inputmode="url" autocomplete="url" maxlength="2048"
        placeholder="https://yoursite.com/webhook" value="${config.webhook_url ?? ''}"
        data-test-id="webhook-url-input" aria-describedby="webhook-url-help webhook-config-error">
      <p class="help" id="webhook-url-help">Signed events are POSTed here. Save an empty URL to stop deliveries.</p>
    </div>
    <p class="form-error" id="webhook-config-error" data-role="form-error" data-test-id="webhook-config-error" role="alert"></p>
    <div class="actions">
      <button type="submit" class="button button-primary" data-test-id="save-webhook-button">Save</button>
      <button type="button" class="button" data-action="test-webhook" data-test-id="test-webhook-button">Send test webhook</button>
    </div>
  </form>
  <div class="secret-box">
    <p class="field-label" id="webhook-secret-label">Webhook secret</p>
    <div class="secret-row">
      <code class="credential-value" id="webhook-secret" data-test-id="webhook-secret">${config.webhook_secret}</code>
      <button type="button" class="button button-quiet" data-copy="#webhook-secret" aria-describedby="webhook-secret-label">Copy</button>
      <button type="button" class="button" data-action="regenerate-secret" data-test-id="regenerate-secret-button">Regenerate secret</button>
    </div>
    <p class="help">Verify each delivery's <code>X-Webhook-Signature</code> (hex HMAC-SHA256 of the raw body) with this secret. A regenerated secret signs every delivery from then on, retries included.</p>
  </div>
</section>`;
}

function filters(filter: WebhooksData['filter']): Html {
  const option = (value: string, current: string | null) =>
    html`<option value="${value}"${value === current ? html` selected` : null}>${value}</option>`;
  return html`<form class="filters" method="get" action="/dashboard/webhooks" data-test-id="webhook-filters">
  <div class="field field-inline">
    <label for="webhook-status-filter">Status</label>
    <select id="webhook-status-filter" name="status" data-test-id="webhook-status-filter">
      <option value="">All</option>
      ${WEBHOOK_STATUSES.map((value) => option(value, filter.status))}
    </select>
  </div>
  <div class="field field-inline">
    <label for="webhook-event-filter">Event</label>
    <select id="webhook-event-filter" name="event" data-test-id="webhook-event-filter">
      <option value="">All</option>
      ${EVENT_TYPES.map((value) => option(value, filter.event))}
    </select>
  </div>
  <button type="submit" class="button" data-test-id="apply-webhook-filter-button">Filter</button>
</form>`;
}

function logsTable(data: WebhooksData): Html {
  const openId = data.detail && 'id' in data.detail ? data.detail.id : null;
  const filtered = data.filter.status !== null || data.filter.event !== null;
  const empty = filtered
    ? html`No deliveries match these filters. <a href="/dashboard/webhooks">Show all deliveries</a>.`
    : data.config.webhook_url
      ? html`No deliveries yet. Send a test webhook, or create a payment, and its events appear here.`
      : html`No deliveries yet. Set a webhook URL above to start receiving events.`;
  const pending = data.logs.data.some((log) => log.status === 'pending');
  const pageHref = (page: number) =>
    `/dashboard/webhooks${query({ status: data.filter.status, event: data.filter.event, page })}`;
  return html`<div data-refresh-region="webhook-logs" data-pending="${pending}">
  <p class="refresh-note" data-test-id="auto-refresh-note"${pending ? null : html` hidden`}>Deliveries are pending: this table refreshes itself every few seconds.</p>
  <div class="table-scroll" tabindex="0" role="region" aria-labelledby="webhook-logs-caption">
    <table class="table" data-test-id="webhook-logs-table">
      <caption id="webhook-logs-caption">Webhook deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Event</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th>
          <th scope="col">Last attempt</th><th scope="col" class="num">Response</th><th scope="col">Next retry</th>
          <th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${
          data.logs.data.length === 0
            ? html`<tr class="empty-row"><td colspan="8"><p class="empty-state" data-test-id="webhook-logs-empty">${empty}</p></td></tr>`
            : webhookLogRows(data.logs.data, openId)
        }
      </tbody>
    </table>
  </div>
  ${pagination(data.logs, pageHref, 'Webhook log pages')}
</div>`;
}

function detailSection(detail: WebhooksData['detail']): Html {
  if (!detail) return html``;
  if ('missing' in detail) {
    return html`<section class="card detail" id="webhook-detail" data-test-id="webhook-detail" aria-labelledby="webhook-detail-title">
  <h2 id="webhook-detail-title" tabindex="-1" data-autofocus>Delivery not found</h2>
  <p class="error-state">There is no delivery <code>${detail.missing}</code> in your account.</p>
  <a class="button button-quiet" href="/dashboard/webhooks">Back to all deliveries</a>
</section>`;
  }
  const attempts = detail.attempt_history;
  return html`<section class="card detail" id="webhook-detail" data-test-id="webhook-detail" data-webhook-id="${detail.id}" aria-labelledby="webhook-detail-title">
  <div class="detail-head">
    <h2 id="webhook-detail-title" tabindex="-1" data-autofocus>${detail.event} delivery</h2>
    <a class="button button-quiet" href="/dashboard/webhooks">Close</a>
  </div>
  <dl class="facts">
    <div><dt>Status</dt><dd>${statusBadge(detail.status)}</dd></div>
    <div><dt>Attempts</dt><dd>${detail.attempts}</dd></div>
    <div><dt>Response code</dt><dd>${detail.response_code ?? none()}</dd></div>
    <div><dt>Next retry</dt><dd>${timestamp(detail.next_retry_at)}</dd></div>
    <div><dt>Delivery ID</dt><dd class="mono">${detail.id}</dd></div>
    <div><dt>About</dt><dd class="mono">${detail.resource_id ?? none()}</dd></div>
  </dl>
  <h3>Payload</h3>
  <pre class="code" tabindex="0" aria-label="Payload"><code>${JSON.stringify(detail.payload, null, 2)}</code></pre>
  <h3>Attempts</h3>
  ${
    attempts.length === 0
      ? html`<p class="empty-state">Not attempted yet.</p>`
      : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Delivery attempts">
    <table class="table" data-test-id="webhook-attempts-table">
      <thead><tr><th scope="col">Round</th><th scope="col">Attempt</th><th scope="col">At</th><th scope="col" class="num">Response</th><th scope="col" class="num">Duration</th><th scope="col">Outcome</th></tr></thead>
      <tbody>
        ${attempts.map(
          (attempt) => html`<tr>
          <td class="num">${attempt.round}</td><td class="num">${attempt.attempt}</td><td>${timestamp(attempt.attempted_at)}</td>
          <td class="num">${attempt.response_code ?? none()}</td><td class="num">${attempt.duration_ms} ms</td>
          <td class="outcome">${attempt.error ?? attempt.response_body ?? none()}</td>
        </tr>`,
        )}
      </tbody>
    </table>
  </div>`
  }
</section>`;
}

export function webhooksView(data: WebhooksData): Html {
  return html`<h1>Webhooks</h1>
${configSection(data.config)}
<section class="logs" aria-labelledby="logs-title">
  <h2 id="logs-title">Delivery logs</h2>
  ${filters(data.filter)}
  <div data-refresh-region="webhook-detail" data-pending="${data.detail !== null && 'status' in data.detail && data.detail.status === 'pending'}">${detailSection(data.detail)}</div>
  ${logsTable(data)}
</section>`;
}
