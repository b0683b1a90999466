import { type Html, html } from '../html.js';
import { money, none, refundLabel, statusBadge, timestamp } from './format.js';
import type { PaymentView } from './payment-detail.js';

/** What a new merchant has done of the first steps, each checked against its own data. */
export interface FirstRunProgress {
  webhookUrlSet: boolean;
  paymentMade: boolean;
  webhookDelivered: boolean;
}

interface Step {
  done: boolean;
  title: string;
  todo: Html;
}

/** The first steps of an integration; shown until all of them are done. */
export function firstRunChecklist(progress: FirstRunProgress): Html {
  const steps: Step[] = [
    {
      done: progress.webhookUrlSet,
      title: 'Set a webhook URL',
      todo: html`Tell the gateway where to send events, on the <a href="/dashboard/webhooks">Webhooks</a> page.`,
    },
    {
      done: progress.paymentMade,
      title: 'Make a test payment',
      todo: html`Create an order and pay it with a test card or UPI ID: see <a href="/dashboard/docs#create-order">Docs</a> and its <a href="/dashboard/docs#test-values">test values</a>.`,
    },
    {
      done: progress.webhookDelivered,
      title: 'Receive a webhook',
      todo: html`Once a URL is set, every event is delivered to it; <a href="/dashboard/webhooks">send a test webhook</a> to try it.`,
    },
  ];
  const left = steps.filter((step) => !step.done).length;
  if (left === 0) return html``;
  return html`<section class="card checklist" data-test-id="first-run-checklist" aria-labelledby="checklist-title">
  <h2 id="checklist-title">Get started</h2>
  <p class="muted">${steps.length - left} of ${steps.length} done.</p>
  <ol class="checklist-steps">
    ${steps.map(
      (
        step,
      ) => html`<li class="checklist-step${step.done ? ' is-done' : ''}" data-test-id="checklist-item" data-done="${String(step.done)}">
      <span class="checklist-mark" aria-hidden="true">${step.done ? '✓' : ''}</span>
      <div><p class="checklist-title"><strong>${step.title}</strong> <span class="visually-hidden">${step.done ? '(done)' : '(to do)'}</span></p>
      ${step.done ? null : html`<p class="help">${step.todo}</p>`}</div>
    </li>`,
    )}
  </ol>
</section>`;
}

/** The latest few payments, each linking to its detail on the transactions page. */
export function recentPayments(payments: PaymentView[]): Html {
  const body =
    payments.length === 0
      ? html`<p class="empty-state" data-test-id="recent-payments-empty">No payments yet. They appear here as soon as your integration creates them.</p>`
      : html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="recent-title">
    <table class="table table-cards" data-test-id="recent-payments">
      <thead><tr><th scope="col">Payment ID</th><th scope="col" class="num">Amount</th><th scope="col">Status</th><th scope="col" class="num">Refunded</th><th scope="col">Created</th></tr></thead>
      <tbody>
        ${payments.map((payment) => {
          const label = refundLabel(payment);
          return html`<tr data-test-id="recent-payment-row" data-payment-id="${payment.id}">
          <td class="cell-id"><a class="mono" href="/dashboard/transactions?payment=${encodeURIComponent(payment.id)}#payment-detail">${payment.id}</a></td>
          <td class="num cell-amount">${money(payment.amount, payment.currency)}</td>
          <td class="cell-status" data-test-id="recent-payment-status">${statusBadge(payment.status)}</td>
          <td class="num cell-refund${label ? '' : ' is-empty'}">${label ? html`<span class="status-note">${label}</span>` : none()}</td>
          <td class="cell-created" data-label="Created">${timestamp(payment.created_at)}</td>
        </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
  return html`<section class="card" data-test-id="recent-payments-section" aria-labelledby="recent-title">
  <div class="detail-head">
    <h2 id="recent-title">Recent payments</h2>
    <a class="button button-quiet" href="/dashboard/transactions">All transactions</a>
  </div>
  ${body}
</section>`;
}
