import { EVENT_TYPES } from '../../domain/events.js';
import { type Html, html } from '../html.js';
import { selectFilter } from './filter-fields.js';
import { none, query, statusBadge, timestamp } from './format.js';
import { type NewRowsWatch, newRowsAttributes, newRowsBanner } from './new-rows.js';
import { pagination } from './pagination.js';
import { type DeliverySummary, retryButton, webhookLogRows } from './webhook-tables.js';

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
    request_headers: Record<string, string> | null;
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

/** What "Send test webhook" can send: a sample event, or the events of a real test payment. */
const TEST_SENDS = [
  { event: 'webhook.test', label: 'webhook.test — a sample event' },
  { event: 'payment.success', label: 'payment.success — from a test payment that succeeds' },
  { event: 'payment.failed', label: 'payment.failed — from a test payment that is declined' },
] as const;

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
    <div class="field">
      <label for="test-event-type">Event for "Send test webhook"</label>
      <select id="test-event-type" name="test_event" data-test-id="test-event-type" aria-describedby="test-event-help">
        ${TEST_SENDS.map((send) => html`<option value="${send.event}">${send.label}</option>`)}
      </select>
      <p class="help" id="test-event-help">A payment event comes from a real test payment (an order of ₹500.00 paid with a test VPA), so its payload is what a live one carries.</p>
    </div>
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
  return html`<form class="filters" method="get" action="/dashboard/webhooks" data-test-id="webhook-filters">
  ${selectFilter({ id: 'webhook-status-filter', name: 'status', label: 'Status', testId: 'webhook-status-filter', values: WEBHOOK_STATUSES, chosen: filter.status })}
  ${selectFilter({ id: 'webhook-event-filter', name: 'event', label: 'Event', testId: 'webhook-event-filter', values: EVENT_TYPES, chosen: filter.event })}
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
  return html`<div data-refresh-region="webhook-logs" data-pending="${pending}"${newRowsAttributes(newDeliveriesWatch(data))}>
  ${newRowsBanner()}
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

/** Only the first page, which new deliveries join at the top, watches for them. */
function newDeliveriesWatch(data: WebhooksData): NewRowsWatch | null {
  if (data.page !== 1) return null;
  return {
    source: `/webhooks${query({ limit: data.logs.limit, status: data.filter.status, event: data.filter.event })}`,
    key: 'data-webhook-id',
    noun: 'delivery',
    nouns: 'deliveries',
  };
}

type Attempt = DeliveryDetail['attempt_history'][number];

/** What was sent: the method and URL, then each header as it went out. */
function requestSide(attempt: Attempt): Html {
  if (attempt.url === null || attempt.request_headers === null) {
    return html`<p class="muted">Nothing was sent${attempt.error ? html`: ${attempt.error}` : '.'}</p>`;
  }
  const headers = Object.entries(attempt.request_headers).sort(([a], [b]) => a.localeCompare(b));
  return html`<p class="attempt-url"><span class="http-method http-post">POST</span> <code data-test-id="attempt-url">${attempt.url}</code></p>
    <dl class="headers" data-test-id="attempt-request-headers">
      ${headers.map(([name, value]) => html`<div><dt>${name}</dt><dd class="mono">${value}</dd></div>`)}
    </dl>`;
}

/** What came back: the status code and the (truncated) body, or why there was no answer. */
function responseSide(attempt: Attempt): Html {
  return html`<p><span data-test-id="attempt-response-code">${attempt.response_code ?? none()}</span> <span class="muted">in ${attempt.duration_ms} ms</span></p>
    ${attempt.error ? html`<p class="error-state">${attempt.error}</p>` : null}
    ${attempt.response_body ? html`<pre class="code" tabindex="0" aria-label="Response body, round ${attempt.round} attempt ${attempt.attempt}"><code>${attempt.response_body}</code></pre>` : null}`;
}

/** Each attempt, newest first, with what was sent beside what came back. */
function attemptsList(attempts: Attempt[]): Html {
  if (attempts.length === 0) return html`<p class="empty-state">Not attempted yet.</p>`;
  return html`<ol class="attempts" data-test-id="webhook-attempts-list" reversed>
  ${[...attempts].reverse().map(
    (
      attempt,
    ) => html`<li class="attempt" data-test-id="webhook-attempt" data-round="${attempt.round}" data-attempt="${attempt.attempt}">
    <h4>Round ${attempt.round}, attempt ${attempt.attempt} <span class="muted">${timestamp(attempt.attempted_at)}</span></h4>
    <div class="attempt-sides">
      <div class="attempt-side"><h5>Request</h5>${requestSide(attempt)}</div>
      <div class="attempt-side"><h5>Response</h5>${responseSide(attempt)}</div>
    </div>
  </li>`,
  )}
</ol>`;
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
    <div class="actions">
      ${retryButton(detail, 'detail-retry-button')}
      <a class="button button-quiet" href="/dashboard/webhooks">Close</a>
    </div>
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
  ${attemptsList(attempts)}
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
