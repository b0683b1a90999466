import { toMajorText } from '../../../web/dashboard/money-input.js';
import type { paymentView, refundView } from '../../domain/representations.js';
import { type Html, html } from '../html.js';
import { instrument, money, none, query, statusBadge, timestamp } from './format.js';
import { pagination } from './pagination.js';
import { type DeliverySummary, deliveriesTable } from './webhook-tables.js';

export type PaymentView = ReturnType<typeof paymentView>;
export type RefundView = ReturnType<typeof refundView>;

export interface PaymentDetail {
  payment: PaymentView;
  refunds: RefundView[];
  refunds_total: number;
  webhooks: DeliverySummary[];
}

export interface TransactionsData {
  list: { data: PaymentView[]; total: number; limit: number; offset: number };
  status: string | null;
  page: number;
  /** The payment opened with ?payment=…, or the id that was asked for and not found. */
  detail: PaymentDetail | { missing: string } | null;
}

export const PAYMENT_STATUSES = ['pending', 'success', 'failed'] as const;

function filters(status: string | null): Html {
  return html`<form class="filters" method="get" action="/dashboard/transactions" data-test-id="transactions-filter">
  <div class="field field-inline">
    <label for="status-filter">Status</label>
    <select id="status-filter" name="status" data-test-id="status-filter">
      <option value="">All</option>
      ${PAYMENT_STATUSES.map((value) => html`<option value="${value}"${value === status ? html` selected` : null}>${value}</option>`)}
    </select>
  </div>
  <button type="submit" class="button" data-test-id="apply-filter-button">Filter</button>
</form>`;
}

function row(payment: PaymentView, status: string | null, page: number, open: boolean): Html {
  const href = `/dashboard/transactions${query({ status, page: page > 1 ? page : null, payment: payment.id })}#payment-detail`;
  return html`<tr data-test-id="transaction-row" data-payment-id="${payment.id}"${open ? html` class="is-open"` : null}>
  <td data-test-id="payment-id"><a class="mono" href="${href}"${open ? html` aria-current="true"` : null}>${payment.id}</a></td>
  <td data-test-id="order-id" class="mono">${payment.order_id}</td>
  <td data-test-id="amount" class="num">${money(payment.amount, payment.currency)}</td>
  <td data-test-id="method">${payment.method}</td>
  <td class="instrument">${instrument(payment)}</td>
  <td data-test-id="status">${statusBadge(payment.status)}</td>
  <td class="num">${payment.amount_refunded > 0 ? money(payment.amount_refunded, payment.currency) : none()}</td>
  <td data-test-id="created-at">${timestamp(payment.created_at)}</td>
</tr>`;
}

function table(data: TransactionsData): Html {
  const openId = data.detail && 'payment' in data.detail ? data.detail.payment.id : null;
  const empty =
    data.status === null
      ? html`No payments yet. Payments appear here as soon as your integration creates them; see <a href="/dashboard/docs">Docs</a>.`
      : html`No <strong>${data.status}</strong> payments. <a href="/dashboard/transactions">Show all payments</a>.`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="transactions-caption">
  <table class="table" data-test-id="transactions-table">
    <caption id="transactions-caption">Payments, newest first${data.status ? html` (status: ${data.status})` : null}</caption>
    <thead>
      <tr>
        <th scope="col">Payment ID</th><th scope="col">Order ID</th><th scope="col" class="num">Amount</th>
        <th scope="col">Method</th><th scope="col">Instrument</th><th scope="col">Status</th>
        <th scope="col" class="num">Refunded</th><th scope="col">Created</th>
      </tr>
    </thead>
    <tbody>
      ${
        data.list.data.length === 0
          ? html`<tr class="empty-row"><td colspan="8"><p class="empty-state" data-test-id="transactions-empty">${empty}</p></td></tr>`
          : data.list.data.map((payment) => row(payment, data.status, data.page, payment.id === openId))
      }
    </tbody>
  </table>
</div>
${pagination(data.list, (page) => `/dashboard/transactions${query({ status: data.status, page })}`, 'Transactions pages')}`;
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
  <p class="help" id="refund-help">Up to <strong>${money(available, payment.currency)}</strong> can be refunded. Leave the amount as it is for a full refund.</p>
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
        <td class="mono">${refund.id}</td>
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

function detailSection(data: TransactionsData, closeHref: string): Html {
  const detail = data.detail;
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
  const fact = (label: string, value: Html | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<section class="card detail" id="payment-detail" data-test-id="payment-detail" data-payment-id="${payment.id}" aria-labelledby="detail-title">
  <div class="detail-head">
    <h2 id="detail-title" tabindex="-1" data-autofocus>Payment <span class="mono">${payment.id}</span></h2>
    <a class="button button-quiet" href="${closeHref}" data-test-id="close-detail">Close</a>
  </div>
  <dl class="facts">
    ${fact('Status', statusBadge(payment.status))}
    ${fact('Amount', money(payment.amount, payment.currency))}
    ${fact('Refunded', money(payment.amount_refunded, payment.currency))}
    ${fact('Available to refund', payment.status === 'success' ? money(available, payment.currency) : none())}
    ${fact('Method', payment.method)}
    ${fact('Instrument', instrument(payment))}
    ${fact('Order', html`<span class="mono">${payment.order_id}</span>`)}
    ${fact('Captured', payment.captured ? 'yes' : 'no')}
    ${payment.error_code ? fact('Error', `${payment.error_code}: ${payment.error_description ?? ''}`) : null}
    ${fact('Created', timestamp(payment.created_at))}
    ${fact('Updated', timestamp(payment.updated_at))}
  </dl>
  ${refundForm(payment)}
  <h3>Refunds</h3>
  ${refundsTable(detail)}
  <h3>Webhook deliveries</h3>
  ${deliveriesTable(detail.webhooks, 'payment-webhooks')}
</section>`;
}

/** Still changing by itself: a pending payment, or a refund not yet processed. */
function detailPending(detail: TransactionsData['detail']): boolean {
  if (!detail || 'missing' in detail) return false;
  return detail.payment.status === 'pending' || detail.refunds.some((refund) => refund.status === 'pending');
}

export function transactionsView(data: TransactionsData): Html {
  const closeHref = `/dashboard/transactions${query({ status: data.status, page: data.page > 1 ? data.page : null })}`;
  return html`<h1>Transactions</h1>
${filters(data.status)}
<div data-refresh-region="payment-detail" data-pending="${detailPending(data.detail)}">${detailSection(data, closeHref)}</div>
<div data-refresh-region="transactions" data-pending="${data.list.data.some((payment) => payment.status === 'pending')}">${table(data)}</div>`;
}
