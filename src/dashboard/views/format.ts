import { formatAmount } from '../../../common/currency.js';
import { type Html, html } from '../html.js';

/** How the dashboard's server-rendered pages show values. Times are sent in UTC, labelled. */
export const money = (amount: number, currency: string) => formatAmount(amount, currency);

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatTimestamp(iso: string): string {
  return `${DATE_TIME.format(new Date(iso))} UTC`;
}

/**
 * A <time> element, or an em dash when there is no time. It reads in UTC as sent; the page's script
 * rewrites it in the reader's own time zone, and the UTC time stays in its title (shown on hover).
 */
export function timestamp(iso: string | null): Html {
  if (iso === null) return none();
  const utc = formatTimestamp(iso);
  return html`<time datetime="${iso}" title="${utc}">${utc}</time>`;
}

/** An empty value: an em dash, which screen readers read out as "dash", never a blank cell. */
export function none(): Html {
  return html`—`;
}

const STATUS_TONE: Record<string, string> = {
  success: 'good',
  processed: 'good',
  failed: 'bad',
  pending: 'wait',
  created: 'neutral',
  paid: 'good',
};

/** A status as a badge; its text is the raw status, so it reads the same as the API's value. */
export function statusBadge(status: string): Html {
  return html`<span class="status status-${STATUS_TONE[status] ?? 'neutral'}">${status}</span>`;
}

export function instrument(payment: {
  method: string;
  vpa: string | null;
  card_network: string | null;
  card_last4: string | null;
}): string {
  if (payment.method === 'upi') return payment.vpa ?? '';
  const network = payment.card_network ?? 'card';
  return `${network[0]?.toUpperCase() ?? ''}${network.slice(1)} •••• ${payment.card_last4 ?? ''}`;
}

/** `?name=value&…` from the non-empty entries, for links that keep the current filters. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A human word for a payment's refunds, shown beside (never instead of) its status. */
export function refundLabel(payment: { amount: number; amount_refunded: number }): string | null {
  if (payment.amount_refunded <= 0) return null;
  return payment.amount_refunded >= payment.amount ? 'Refunded' : 'Partially refunded';
}

/** A button that copies the text of the element with this id (see web/dashboard/clipboard.ts). */
export function copyButton(targetId: string, label: string): Html {
  return html`<button type="button" class="button button-quiet button-small copy-button" data-copy="#${targetId}" aria-label="Copy ${label}" data-test-id="copy-button">Copy</button>`;
}
