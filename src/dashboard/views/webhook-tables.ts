import { type Html, html } from '../html.js';
import { none, statusBadge, timestamp } from './format.js';

/** One delivery as GET /api/v1/webhooks lists it. */
export interface DeliverySummary {
  id: string;
  event: string;
  status: string;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  next_retry_at: string | null;
  response_code: number | null;
  endpoint_id: string | null;
  event_id: string | null;
}

const detailHref = (id: string) => `/dashboard/webhooks?log=${encodeURIComponent(id)}#webhook-detail`;

/** A compact list of deliveries (a payment's), each linking to its full record on the webhooks page. */
export function deliveriesTable(logs: DeliverySummary[], testId: string): Html {
  if (logs.length === 0) {
    return html`<p class="empty-state" data-test-id="${testId}-empty">No webhook deliveries. Events are delivered only while a webhook URL is configured on the <a href="/dashboard/webhooks">Webhooks</a> page.</p>`;
  }
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Webhook deliveries">
  <table class="table" data-test-id="${testId}">
    <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Response</th><th scope="col">Last attempt</th></tr></thead>
    <tbody>
      ${logs.map(
        (log) => html`<tr data-test-id="${testId}-row" data-webhook-id="${log.id}">
        <td><a href="${detailHref(log.id)}">${log.event}</a></td>
        <td>${statusBadge(log.status)}</td>
        <td class="num">${log.attempts}</td>
        <td class="num">${log.response_code ?? none()}</td>
        <td>${timestamp(log.last_attempt_at)}</td>
      </tr>`,
      )}
    </tbody>
  </table>
</div>`;
}

/** The webhooks page's log table, with its documented data-test-ids and a retry button per row. */
export function webhookLogRows(logs: DeliverySummary[], openId: string | null): Html[] {
  return logs.map(
    (
      log,
    ) => html`<tr data-test-id="webhook-log-item" data-webhook-id="${log.id}" data-status="${log.status}"${
      log.id === openId ? html` class="is-open"` : null
    }>
  <td data-test-id="webhook-event"><a href="${detailHref(log.id)}">${log.event}</a></td>
  <td data-test-id="webhook-status">${statusBadge(log.status)}</td>
  <td data-test-id="webhook-attempts" class="num">${log.attempts}</td>
  <td data-test-id="webhook-last-attempt">${timestamp(log.last_attempt_at)}</td>
  <td data-test-id="webhook-response-code" class="num">${log.response_code ?? none()}</td>
  <td data-test-id="webhook-next-retry">${timestamp(log.next_retry_at)}</td>
  <td data-test-id="webhook-created-at">${timestamp(log.created_at)}</td>
  <td>${retryButton(log, 'retry-webhook-button')}</td>
</tr>`,
  );
}

/**
 * Sends a delivery again from attempt 1 (the API's retry route): "Resend" for one already
 * delivered, "Retry" for one that failed or is still trying.
 */
export function retryButton(log: DeliverySummary, testId: string): Html {
  const verb = log.status === 'success' ? 'Resend' : 'Retry';
  return html`<button type="button" class="button button-small" data-test-id="${testId}" data-action="retry-webhook" data-webhook-id="${log.id}"
    data-verb="${verb}" aria-label="${verb} ${log.event} delivery from ${log.created_at}">${verb}</button>`;
}
