import { toMajorText } from '../../common/money-input.js';
import {
  allFoundPayments,
  type FoundPayment,
  type PaymentSearch,
  searchPayments,
} from '../db/payment-search.js';
import { type CsvValue, csvLine } from '../domain/csv.js';
import { badRequest } from '../domain/errors.js';
import type { PaymentStatus } from '../domain/records.js';
import { paymentView } from '../domain/representations.js';
import type { Runtime } from '../runtime.js';

/**
 * Finding payments on the dashboard: the transactions page's search and its CSV export, both from
 * one filter (status, text, a range of UTC days) and both for the signed-in merchant only.
 */
export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['pending', 'success', 'failed'];
export const SEARCH_TEXT_MAX = 100;

/** The filter as a page or a link carries it: text fields, each absent when not used. */
export interface PaymentFilterInput {
  status?: string;
  q?: string;
  from?: string;
  to?: string;
}

/** The filter checked and normalised, as the page shows it again. */
export interface PaymentFilter {
  status: PaymentStatus | null;
  q: string | null;
  from: string | null;
  to: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A `YYYY-MM-DD` day, as a date input sends it, to its first instant in UTC. */
function utcDay(value: string, field: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!day || day.toISOString().slice(0, 10) !== value) {
    throw badRequest(`${field} must be a date written YYYY-MM-DD`, field);
  }
  return day;
}

/** Checks a filter; a bad part is a 400 naming its field. */
export function parsePaymentFilter(input: PaymentFilterInput): {
  filter: PaymentFilter;
  search: PaymentSearch;
} {
  const blank = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? null : value.trim();
  const status = blank(input.status);
  if (status !== null && !PAYMENT_STATUSES.includes(status as PaymentStatus)) {
    throw badRequest(`status must be one of ${PAYMENT_STATUSES.join(', ')}`, 'status');
  }
  const q = blank(input.q);
  if (q !== null && q.length > SEARCH_TEXT_MAX) {
    throw badRequest(`q must be at most ${SEARCH_TEXT_MAX} characters`, 'q');
  }
  const from = blank(input.from);
  const to = blank(input.to);
  const fromDay = from === null ? undefined : utcDay(from, 'from');
  const toDay = to === null ? undefined : utcDay(to, 'to');
  if (fromDay && toDay && fromDay > toDay) throw badRequest('from must be on or before to', 'from');
  return {
    filter: { status: status as PaymentStatus | null, q, from, to },
    search: {
      status: (status as PaymentStatus | null) ?? undefined,
      text: q ?? undefined,
      from: fromDay,
      // The whole of the last day is included.
      until: toDay ? new Date(toDay.getTime() + DAY_MS) : undefined,
    },
  };
}

export const isFiltered = (filter: PaymentFilter) =>
  filter.status !== null || filter.q !== null || filter.from !== null || filter.to !== null;

export async function searchMerchantPayments(
  runtime: Runtime,
  merchantId: string,
  search: PaymentSearch,
  page: { limit: number; offset: number },
) {
  const { rows, total } = await searchPayments(runtime.db, merchantId, search, page);
  return { data: rows.map(paymentView), total, limit: page.limit, offset: page.offset };
}

export const CSV_COLUMNS = [
  'id',
  'order_id',
  'receipt',
  'status',
  'amount',
  'amount_decimal',
  'currency',
  'amount_refunded',
  'captured',
  'method',
  'vpa',
  'card_network',
  'card_last4',
  'error_code',
  'error_description',
  'created_at',
  'updated_at',
] as const;

function csvValues(payment: FoundPayment): CsvValue[] {
  const view = paymentView(payment);
  return [
    view.id,
    view.order_id,
    payment.receipt,
    view.status,
    view.amount,
    toMajorText(view.amount, view.currency),
    view.currency,
    view.amount_refunded,
    view.captured,
    view.method,
    view.vpa,
    view.card_network,
    view.card_last4,
    view.error_code,
    view.error_description,
    view.created_at,
    view.updated_at,
  ];
}

/**
 * The payments the filter finds, newest first, as CSV lines (the header first). Amounts are in the
 * smallest unit as the API gives them, with the decimal amount beside them for spreadsheets.
 */
export async function* paymentsCsv(runtime: Runtime, merchantId: string, search: PaymentSearch) {
  const lines = (batch: FoundPayment[]) => batch.map((payment) => csvLine(csvValues(payment))).join('');
  const batches = allFoundPayments(runtime.db, merchantId, search);
  // The first batch is read before anything is yielded, so an unreachable database is still an
  // error answer, not a download cut short.
  const first = await batches.next();
  yield csvLine(CSV_COLUMNS) + (first.done ? '' : lines(first.value));
  for await (const batch of batches) yield lines(batch);
}
