import { PAYMENT_STATUSES, type PaymentFilter, SEARCH_TEXT_MAX } from '../../services/payment-search.js';
import { type Html, html } from '../html.js';
import { selectFilter } from './filter-fields.js';
import { instrument, money, none, query, refundLabel, statusBadge, timestamp } from './format.js';
import { type NewRowsWatch, newRowsAttributes, newRowsBanner } from './new-rows.js';
import { pagination } from './pagination.js';
import {
  detailPending,
  type PaymentDetail,
  type PaymentView,
  paymentDetailSection,
} from './payment-detail.js';

export interface TransactionsData {
  list: { data: PaymentView[]; total: number; limit: number; offset: number };
  filter: PaymentFilter;
  /** Why the filter asked for could not be used (the list then shows every payment). */
  filterError: string | null;
  page: number;
  /** The payment opened with ?payment=…, or the id that was asked for and not found. */
  detail: PaymentDetail | { missing: string } | null;
  eventRetentionDays: number;
}

const filtered = (filter: PaymentFilter) =>
  filter.status !== null || filter.q !== null || filter.from !== null || filter.to !== null;

/** The filter as query parameters, for every link that keeps it (pages, rows, export). */
const filterQuery = (filter: PaymentFilter, extra: Record<string, string | number | null> = {}) =>
  query({ q: filter.q, status: filter.status, from: filter.from, to: filter.to, ...extra });

function filters(data: TransactionsData): Html {
  const { filter } = data;
  return html`<form class="filters filters-search" method="get" action="/dashboard/transactions" role="search" data-test-id="transactions-filter" aria-describedby="search-help">
  <div class="field field-inline field-search">
    <label for="search-input">Search</label>
    <input id="search-input" name="q" type="search" maxlength="${SEARCH_TEXT_MAX}" autocomplete="off" value="${filter.q ?? ''}"
      placeholder="pay_…, order_…, VPA, last 4 digits, receipt" data-test-id="search-input"${data.filterError ? html` aria-invalid="true"` : null}>
  </div>
  ${selectFilter({ id: 'status-filter', name: 'status', label: 'Status', testId: 'status-filter', values: PAYMENT_STATUSES, chosen: filter.status })}
  <div class="field field-inline">
    <label for="from-date">From</label>
    <input id="from-date" name="from" type="date" value="${filter.from ?? ''}" data-test-id="from-date-input">
  </div>
  <div class="field field-inline">
    <label for="to-date">To</label>
    <input id="to-date" name="to" type="date" value="${filter.to ?? ''}" data-test-id="to-date-input">
  </div>
  <div class="filter-actions">
    <button type="submit" class="button" data-test-id="apply-filter-button">Filter</button>
    ${filtered(filter) ? html`<a class="button button-quiet" href="/dashboard/transactions" data-test-id="clear-filter-link">Clear</a>` : null}
    <a class="button button-quiet" href="/dashboard/api/payments/export.csv${filterQuery(filter)}" download data-test-id="export-csv-link">Export CSV</a>
  </div>
  <p class="help filter-help" id="search-help">Search matches a payment or order id, a UPI ID (VPA), a card's last four digits or the order's receipt. Dates are UTC days, both included. Export CSV downloads every payment the filter finds, not only this page.</p>
  ${data.filterError ? html`<p class="form-error" role="alert" data-test-id="filter-error">${data.filterError} All payments are shown.</p>` : null}
</form>`;
}

function refundCell(payment: PaymentView): Html {
  const label = refundLabel(payment);
  if (!label) return html`<td class="num cell-refund is-empty">${none()}</td>`;
  return html`<td class="num cell-refund"><span class="status-note" data-test-id="refund-label">${label}</span> <span class="refunded-amount">${money(payment.amount_refunded, payment.currency)}</span></td>`;
}

// On phones each row is a card (see .table-cards): amount and status first, then the ids and details.
function row(payment: PaymentView, filter: PaymentFilter, page: number, open: boolean): Html {
  const href = `/dashboard/transactions${filterQuery(filter, { page: page > 1 ? page : null, payment: payment.id })}#payment-detail`;
  return html`<tr data-test-id="transaction-row" data-payment-id="${payment.id}"${open ? html` class="is-open"` : null}>
  <td data-test-id="payment-id" class="cell-id"><a class="mono" href="${href}"${open ? html` aria-current="true"` : null}>${payment.id}</a></td>
  <td data-test-id="order-id" class="mono cell-order" data-label="Order">${payment.order_id}</td>
  <td data-test-id="amount" class="num cell-amount">${money(payment.amount, payment.currency)}</td>
  <td data-test-id="method" class="cell-method">${payment.method}</td>
  <td class="instrument cell-instrument">${instrument(payment)}</td>
  <td data-test-id="status" class="cell-status">${statusBadge(payment.status)}</td>
  ${refundCell(payment)}
  <td data-test-id="created-at" class="cell-created" data-label="Created">${timestamp(payment.created_at)}</td>
</tr>`;
}

function table(data: TransactionsData): Html {
  const openId = data.detail && 'payment' in data.detail ? data.detail.payment.id : null;
  const { filter } = data;
  const searched = filter.q !== null || filter.from !== null || filter.to !== null;
  const empty = !filtered(filter)
    ? html`No payments yet. Payments appear here as soon as your integration creates them; see <a href="/dashboard/docs">Docs</a>.`
    : searched
      ? html`No payments match this search. <a href="/dashboard/transactions">Show all payments</a>.`
      : html`No <strong>${filter.status}</strong> payments. <a href="/dashboard/transactions">Show all payments</a>.`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="transactions-caption">
  <table class="table table-cards" data-test-id="transactions-table">
    <caption id="transactions-caption">Payments, newest first${describeFilter(filter)}</caption>
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
          : data.list.data.map((payment) => row(payment, filter, data.page, payment.id === openId))
      }
    </tbody>
  </table>
</div>
${pagination(data.list, (page) => `/dashboard/transactions${filterQuery(filter, { page })}`, 'Transactions pages')}`;
}

/** The caption's summary of the filter: " (status: failed; matching “x”; from 2024-01-01)". */
function describeFilter(filter: PaymentFilter): string {
  const parts = [
    filter.status ? `status: ${filter.status}` : null,
    filter.q ? `matching “${filter.q}”` : null,
    filter.from ? `from ${filter.from}` : null,
    filter.to ? `to ${filter.to}` : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

export function transactionsView(data: TransactionsData): Html {
  const closeHref = `/dashboard/transactions${filterQuery(data.filter, { page: data.page > 1 ? data.page : null })}`;
  return html`<h1>Transactions</h1>
${filters(data)}
<div data-refresh-region="payment-detail" data-pending="${detailPending(data.detail)}">${paymentDetailSection(data.detail, closeHref, data.eventRetentionDays)}</div>
<div data-refresh-region="transactions" data-pending="${data.list.data.some((payment) => payment.status === 'pending')}"${newRowsAttributes(newPaymentsWatch(data))}>
${newRowsBanner()}
${table(data)}
</div>`;
}

/**
 * Only the first page, which new payments join at the top, watches for them, and only while the
 * API's list can say which are new (a status at most; a search or a date range stays as found).
 */
function newPaymentsWatch(data: TransactionsData): NewRowsWatch | null {
  const { filter } = data;
  if (data.page !== 1 || filter.q !== null || filter.from !== null || filter.to !== null) return null;
  return {
    source: `/payments${query({ limit: data.list.limit, status: filter.status })}`,
    key: 'data-payment-id',
    noun: 'payment',
    nouns: 'payments',
  };
}
