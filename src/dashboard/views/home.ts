import { type Html, html } from '../html.js';
import type { DayTotals } from '../volume-series.js';
import { money } from './format.js';

export interface HomeData {
  credentials: { api_key: string; api_secret: string };
  stats: {
    total_transactions: number;
    successful: number;
    failed: number;
    pending: number;
    success_rate: number;
    amounts: Array<{ currency: string; amount: number }>;
  };
  volume: { currency: string; days: DayTotals[] };
}

/** "₹1,500.00", or "₹1,500.00 + $20.00" for a merchant paid in several currencies. */
export function totalAmount(amounts: HomeData['stats']['amounts']): string {
  if (amounts.length === 0) return money(0, 'INR');
  return amounts.map((entry) => money(entry.amount, entry.currency)).join(' + ');
}

export function successRate(rate: number): string {
  return `${Number.isInteger(rate) ? rate : rate.toFixed(1)}%`;
}

function credentials(data: HomeData['credentials']): Html {
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
        <code class="credential-value secret is-masked" id="api-secret" data-test-id="api-secret" data-secret>${data.api_secret}</code>
        <button type="button" class="button button-quiet" data-reveal="#api-secret" aria-controls="api-secret" aria-pressed="false" data-test-id="reveal-secret-button">Reveal</button>
        <button type="button" class="button button-quiet" data-copy="#api-secret" aria-describedby="api-secret-label" data-test-id="copy-secret-button">Copy</button>
      </dd>
    </div>
  </dl>
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
  ${stat('success-rate', 'Success rate', successRate(data.success_rate), `${data.successful} succeeded, ${data.failed} failed`)}
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
${stats(data.stats)}
${credentials(data.credentials)}
${chart(data.volume)}`;
}
