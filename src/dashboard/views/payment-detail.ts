import { toMajorText } from '../../../common/money-input.js';
import type { paymentView, refundView } from '../../domain/representations.js';
import { type Html, html } from '../html.js';
import { copyButton, instrument, money, none, refundLabel, statusBadge, timestamp } from './format.js';
import { paymentTimeline, type TimelineEvent } from './payment-timeline.js';
import { type DeliverySummary, deliveriesTable } from './webhook-tables.js';

export type PaymentView = ReturnType<typeof paymentView>;
export type RefundView = ReturnType<typeof refundView>;

export interface PaymentDetail {
  payment: PaymentView;
  refunds: RefundView[];
  refunds_total: number;
  webhooks: DeliverySummary[];
  events: TimelineEvent[];
}

/** Captured in full, once, only while successful, uncaptured and unrefunded (as the API rules). */
export function capturable(payment: PaymentView): boolean {
  return payment.status === 'success' && !payment.captured && payment.amount_refunded === 0;
}

function captureAction(payment: PaymentView): Html {
  if (!capturable(payment)) return html``;
  const amount = money(payment.amount, payment.currency);
  return html`<div class="capture-box" data-test-id="capture-box">
  <p class="help" id="capture-help">The payment succeeded and is not captured yet. Capturing it settles the full ${amount}; a captured payment can still be refunded.</p>
  <p class="form-error" data-role="capture-error" data-test-id="capture-error" role="alert"></p>
  <button type="button" class="button" data-action="capture" data-test-id="capture-button"
    data-payment-id="${payment.id}" data-amount="${payment.amount}" data-currency="${payment.currency}"
    aria-describedby="capture-help">Capture ${amount}</button>
</div>`;
}

function refundForm(payment: PaymentView): Html {
  const available = payment.amount - payment.amount_refunded;
  if (payment.status !== 'success') {
    return html`<p class="notice" data-test-id="refund-unavailable">Only successful payments can be refunded; this one is <strong>${payment.status}</strong>.</p>`;
  }
  if (available <= 0) {
    return html`<p class="notice" data-test-id="refund-unavailable">This payment has been refunded in full.</p>`;
  }
  return html`<form class="form refund-form" data-form="refund" data-test-id="refund-form" novalidate
    data-payment-id="${payment.id}" data-available="${available}" data-currency="${payment.currency}">
  <h3 id="refund-title">Refund this payment</h3>
  <p class="help" id="refund-help">Up to <strong>${money(available, payment.currency)}</strong> can be refunded. Leave the amount as it is for a full refund. You confirm the amount before anything is refunded.</p>
  <div class="field-row">
    <div class="field">
      <label for="refund-amount">Amount (${payment.currency})</label>
      <input id="refund-amount" name="amount" type="text" inputmode="decimal" autocomplete="off" required
        value="${toMajorText(available, payment.currency)}" data-test-id="refund-amount-input" aria-describedby="refund-help refund-error">
    </div>
    <div class="field">
      <label for="refund-reason">Reason <span class="optional">(optional)</span></label>
      <input id="refund-reason" name="reason" type="text" maxlength="500" autocomplete="off" data-test-id="refund-reason-input">
    </div>
  </div>
  <p class="form-error" id="refund-error" data-role="form-error" data-test-id="refund-error" role="alert"></p>
  <div class="actions">
    <button type="submit" class="button button-primary" data-test-id="refund-button">Refund</button>
    <button type="button" class="button button-quiet" data-action="refund-full" data-test-id="refund-full-button">Full amount</button>
  </div>
</form>`;
}

function refundsTable(detail: PaymentDetail): Html {
  const { payment, refunds } = detail;
  if (refunds.length === 0)
    return html`<p class="empty-state" data-test-id="refunds-empty">No refunds yet.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Refunds">
  <table class="table" data-test-id="refunds-table">
    <thead><tr><th scope="col">Refund ID</th><th scope="col" class="num">Amount</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Created</th><th scope="col">Processed</th></tr></thead>
    <tbody>
      ${refunds.map(
        (refund) => html`<tr data-test-id="refund-row" data-refund-id="${refund.id}">
        <td><span class="mono" id="refund-id-${refund.id}">${refund.id}</span> ${copyButton(`refund-id-${refund.id}`, `refund ID ${refund.id}`)}</td>
        <td class="num" data-test-id="refund-amount">${money(refund.amount, payment.currency)}</td>
        <td data-test-id="refund-status">${statusBadge(refund.status)}</td>
        <td>${refund.reason ?? none()}</td>
        <td>${timestamp(refund.created_at)}</td>
        <td>${timestamp(refund.processed_at)}</td>
      </tr>`,
      )}
    </tbody>
  </table>
</div>
${detail.refunds_total > refunds.length ? html`<p class="muted">Showing the latest ${refunds.length} of ${detail.refunds_total} refunds.</p>` : null}`;
}

/** The payment exactly as GET /api/v1/payments/{id} answers it, for developers. */
function rawJson(payment: PaymentView): Html {
  return html`<details class="raw-json" data-test-id="payment-raw-json">
  <summary>Raw JSON (as <code>GET /api/v1/payments/${payment.id}</code> answers)</summary>
  <div class="snippet">
    <div class="snippet-bar"><span class="snippet-language">JSON</span>${copyButton('payment-json', 'the payment as JSON')}</div>
    <pre class="code" tabindex="0" aria-label="Payment as JSON"><code id="payment-json">${JSON.stringify(payment, null, 2)}</code></pre>
  </div>
</details>`;
}

export function paymentDetailSection(
  detail: PaymentDetail | { missing: string } | null,
  closeHref: string,
  eventRetentionDays: number,
): Html {
  if (!detail) return html``;
  if ('missing' in detail) {
    return html`<section class="card detail" id="payment-detail" data-test-id="payment-detail" aria-labelledby="detail-title">
  <h2 id="detail-title" tabindex="-1" data-autofocus>Payment not found</h2>
  <p class="error-state" data-test-id="payment-not-found">There is no payment <code>${detail.missing}</code> in your account.</p>
  <a class="button button-quiet" href="${closeHref}">Back to all payments</a>
</section>`;
  }
  const { payment } = detail;
  const available = payment.amount - payment.amount_refunded;
  const label = refundLabel(payment);
  const fact = (name: string, value: Html | string) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`;
  const retention =
    eventRetentionDays === 0
      ? 'Events are kept for ever.'
      : `Events are kept for ${eventRetentionDays} days.`;
  return html`<section class="card detail" id="payment-detail" data-test-id="payment-detail" data-payment-id="${payment.id}" aria-labelledby="detail-title">
  <div class="detail-head">
    <div class="detail-title">
      <h2 id="detail-title" tabindex="-1" data-autofocus>Payment <span class="mono" id="detail-payment-id">${payment.id}</span></h2>
      ${copyButton('detail-payment-id', 'payment ID')}
    </div>
    <a class="button button-quiet" href="${closeHref}" data-test-id="close-detail">Close</a>
  </div>
  <dl class="facts">
    ${fact('Status', html`<span data-test-id="detail-status">${statusBadge(payment.status)}</span>${label ? html` <span class="status-note">${label}</span>` : null}`)}
    ${fact('Amount', money(payment.amount, payment.currency))}
    ${fact('Refunded', money(payment.amount_refunded, payment.currency))}
    ${fact('Available to refund', payment.status === 'success' ? money(available, payment.currency) : none())}
    ${fact('Method', payment.method)}
    ${fact('Instrument', instrument(payment))}
    ${fact('Order', html`<span class="mono" id="detail-order-id">${payment.order_id}</span> ${copyButton('detail-order-id', 'order ID')}`)}
    ${fact('Captured', html`<span data-test-id="detail-captured">${payment.captured ? 'yes' : 'no'}</span>`)}
    ${payment.error_code ? fact('Error', `${payment.error_code}: ${payment.error_description ?? ''}`) : null}
    ${fact('Created', timestamp(payment.created_at))}
    ${fact('Updated', timestamp(payment.updated_at))}
  </dl>
  ${captureAction(payment)}
  ${refundForm(payment)}
  <h3>Refunds</h3>
  ${refundsTable(detail)}
  <h3>Timeline</h3>
  ${paymentTimeline(detail.events, detail.webhooks, payment.currency, retention)}
  <h3>Webhook deliveries</h3>
  ${deliveriesTable(detail.webhooks, 'payment-webhooks')}
  ${rawJson(payment)}
</section>`;
}

/** Still changing by itself: a pending payment, or a refund not yet processed. */
export function detailPending(detail: PaymentDetail | { missing: string } | null): boolean {
  if (!detail || 'missing' in detail) return false;
  return detail.payment.status === 'pending' || detail.refunds.some((refund) => refund.status === 'pending');
}
