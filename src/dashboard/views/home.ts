import { type Html, html } from '../html.js';
import type { DayTotals } from '../volume-series.js';
import { money } from './format.js';
import { type FirstRunProgress, firstRunChecklist, recentPayments } from './home-sections.js';
import type { PaymentView } from './payment-detail.js';

export interface HomeData {
  credentials: { api_key: string; api_secret: string | null };
  stats: {
    total_transactions: number;
    successful: number;
    failed: number;
    pending: number;
    success_rate: number;
    amounts: Array<{ currency: string; amount: number }>;
  };
  volume: { currency: string; days: DayTotals[] };
  recent: PaymentView[];
  progress: FirstRunProgress;
}

/** "₹1,500.00", or "₹1,500.00 + $20.00" for a merchant paid in several currencies. */
export function totalAmount(amounts: HomeData['stats']['amounts']): string {
  if (amounts.length === 0) return money(0, 'INR');
  return amounts.map((entry) => money(entry.amount, entry.currency)).join(' + ');
}

export function successRate(rate: number): string {
  return `${Number.isInteger(rate) ? rate : rate.toFixed(1)}%`;
}

/** Without a single payment there is no rate to speak of: a dash, not "0%". */
export function successRateText(stats: HomeData['stats']): string {
  return stats.total_transactions === 0 ? '—' : successRate(stats.success_rate);
}

/**
 * The key, and the secret: the test merchant's published one (masked, with reveal and copy), or,
 * for every other merchant, a note that it was shown once, with "Regenerate API secret" (the new
 * secret then appears here, once, with a copy button).
 */
function credentials(data: HomeData['credentials']): Html {
  const published = data.api_secret;
  const secret =
    published !== null
      ? html`<code class="credential-value secret is-masked" id="api-secret" data-test-id="api-secret" data-secret>${published}</code>
        <button type="button" class="button button-quiet" data-reveal="#api-secret" aria-controls="api-secret" aria-pressed="false" data-test-id="reveal-secret-button">Reveal</button>
        <button type="button" class="button button-quiet" data-copy="#api-secret" aria-describedby="api-secret-label" data-test-id="copy-secret-button">Copy</button>`
      : html`<code class="credential-value secret-unavailable" id="api-secret" data-test-id="api-secret" data-role="api-secret" aria-live="polite">Shown only once, when created</code>
        <button type="button" class="button button-quiet" data-copy="#api-secret" aria-describedby="api-secret-label" data-test-id="copy-secret-button" data-role="copy-new-secret" hidden>Copy</button>
        <button type="button" class="button" data-action="regenerate-api-secret" data-test-id="regenerate-api-secret-button">Regenerate API secret</button>`;
  const note =
    published !== null
      ? html`<p class="muted">These are the public test merchant's published test credentials; they work only in test mode and cannot be regenerated.</p>`
      : html`<p class="muted" id="api-secret-help">The gateway keeps only a hash of your secret, so it cannot show it again. Regenerating makes a new one, shown here once, and the old one stops working at once.</p>`;
  return html`<section class="card" data-test-id="api-credentials" aria-labelledby="credentials-title">
  <h2 id="credentials-title">API credentials</h2>
  <p class="muted">Your server sends these in the <code>X-Api-Key</code> and <code>X-Api-Secret</code> headers. Keep the secret on your server.</p>
  <dl class="credentials">
    <div class="credential">
      <dt id="api-key-label">API key</dt>
      <dd>
        <code class="credential-value" id="api-key" data-test-id="api-key">${data.api_key}</code>
        <button type="button" class="button button-quiet" data-copy="#api-key" aria-describedby="api-key-label">Copy</button>
      </dd>
    </div>
    <div class="credential">
      <dt id="api-secret-label">API secret</dt>
      <dd>
        ${secret}
      </dd>
    </div>
  </dl>
  ${note}
</section>`;
}

function stats(data: HomeData['stats']): Html {
  const stat = (id: string, label: string, value: string, detail: string) => html`<div class="stat">
    <p class="stat-label" id="${id}-label">${label}</p>
    <p class="stat-value" data-test-id="${id}">${value}</p>
    <p class="stat-detail">${detail}</p>
  </div>`;
  return html`<section class="stats" data-test-id="stats-container" aria-label="Payment statistics">
  ${stat('total-transactions', 'Total transactions', String(data.total_transactions), `${data.pending} pending`)}
  ${stat('total-amount', 'Total amount', totalAmount(data.amounts), 'Successful payments')}
  ${stat('success-rate', 'Success rate', successRateText(data), data.total_transactions === 0 ? 'No payments yet' : `${data.successful} succeeded, ${data.failed} failed`)}
</section>`;
}

function chart(volume: HomeData['volume']): Html {
  const any = volume.days.some((day) => day.payments > 0);
  const rows = volume.days.map(
    (day) =>
      html`<tr><th scope="row">${day.day}</th><td>${day.payments}</td><td>${day.successful}</td><td>${day.failed}</td><td>${money(day.amount, volume.currency)}</td></tr>`,
  );
  return html`<section class="card" aria-labelledby="chart-title">
  <h2 id="chart-title">Payments over the last ${volume.days.length} days</h2>
  ${
    any
      ? html`<div class="chart" data-role="volume-chart" data-series="${JSON.stringify(volume)}" role="img"
      aria-label="Chart of payments per day and successful volume; the same numbers are in the table below"></div>`
      : html`<p class="empty-state" data-test-id="chart-empty">No payments in this period yet. Create an order and a payment (see <a href="/dashboard/docs">Docs</a>) and they will show up here.</p>`
  }
  <details class="chart-data">
    <summary>Chart data as a table</summary>
    <div class="table-scroll" tabindex="0" role="region" aria-label="Payments per day">
      <table class="table">
        <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Payments</th><th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Successful volume</th></tr></thead>
        <tbody>${rows}</tbody>
      </table>
    </div>
  </details>
</section>`;
}

export function homeView(data: HomeData): Html {
  return html`<h1>Overview</h1>
${firstRunChecklist(data.progress)}
${stats(data.stats)}
${recentPayments(data.recent)}
${credentials(data.credentials)}
${chart(data.volume)}`;
}
