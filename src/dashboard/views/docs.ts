import {
  DECLINE_DESCRIPTIONS,
  formatCardNumber,
  SUCCEEDING_TEST_VALUES,
  TEST_VALUES,
} from '../../../common/test-values.js';
import { createOrderSnippet, type SnippetValues, sdkSnippet, webhookSnippet } from '../docs-snippets.js';
import { type Html, html } from '../html.js';
import type { OpenApiDocument } from '../openapi-types.js';
import { apiReference, groupId, operationId, referenceGroups } from './api-reference.js';

export interface DocsData {
  snippets: SnippetValues;
  signedIn: boolean;
  openapi: OpenApiDocument;
}

function snippet(id: string, language: string, code: string, label: string, secret = false): Html {
  return html`<div class="snippet">
  <div class="snippet-bar">
    <span class="snippet-language">${language}</span>
    <button type="button" class="button button-quiet button-small" data-copy="#${id}" aria-label="Copy ${label}">Copy</button>
  </div>
  <pre class="code" tabindex="0" aria-label="${label}"><code id="${id}" data-test-id="${id}"${secret ? html` data-sample-secret` : null}>${code}</code></pre>
</div>`;
}

const GUIDE = [
  { href: '#create-order', label: '1. Create an order' },
  { href: '#sdk-integration', label: '2. Open the checkout' },
  { href: '#webhook-verification', label: '3. Verify webhooks' },
  { href: '#test-values', label: 'Test values' },
];

/**
 * The page's own navigation: the guide's steps, then every reference group with its operations.
 * Beside the content and sticky on wide screens; a collapsible list above it on phones.
 */
function docsNav(doc: OpenApiDocument): Html {
  return html`<details class="docs-nav" data-test-id="docs-nav" open>
  <summary>On this page</summary>
  <nav aria-label="On this page">
    <p class="docs-nav-heading">Guide</p>
    <ul>${GUIDE.map(({ href, label }) => html`<li><a href="${href}">${label}</a></li>`)}</ul>
    <p class="docs-nav-heading"><a href="#reference-title">API reference</a></p>
    <ul>
      ${referenceGroups(doc).map(
        ({ tag, title, operations }) => html`<li><a href="#${groupId(tag)}">${title}</a>
        <ul class="docs-nav-operations">${operations.map(
          ({ path, method, op }) =>
            html`<li><a href="#${operationId(method, path)}" title="${op.summary ?? ''}"><span class="http-method http-${method}">${method.toUpperCase()}</span> ${path.replace(/^\/api\/v1/, '')}</a></li>`,
        )}</ul></li>`,
      )}
    </ul>
  </nav>
</details>`;
}

/**
 * A signed-in merchant's secret is stored hashed, so the page cannot print it. This lets them type
 * it once: the browser keeps it in this tab's sessionStorage and puts it into the samples; it is
 * never sent to the server.
 */
function sampleSecretForm(): Html {
  return html`<form class="card sample-secret" data-test-id="sample-secret" novalidate>
  <h2 class="sample-secret-title">Run the samples as they are</h2>
  <p class="muted">The samples read your secret from <code>$GATEWAY_API_SECRET</code>. Or paste your test secret here: it stays in this browser tab and is never sent to the server.</p>
  <div class="sample-secret-row">
    <div class="field">
      <label for="sample-secret-input">Your API secret</label>
      <input id="sample-secret-input" data-test-id="sample-secret-input" type="password" autocomplete="off" spellcheck="false" aria-describedby="sample-secret-status">
    </div>
    <label class="inline-check"><input type="checkbox" id="sample-secret-toggle" data-test-id="sample-secret-toggle"> Use my test secret in samples</label>
  </div>
  <p id="sample-secret-status" class="muted" data-test-id="sample-secret-status" aria-live="polite"></p>
</form>`;
}

function testValuesSection(): Html {
  const instruments = (cards: readonly string[], vpas: readonly string[]) => ({
    cards: cards.length ? cards.map((card) => html`<code>${formatCardNumber(card)}</code>`) : '—',
    vpas: vpas.length ? vpas.map((vpa) => html`<code>${vpa}</code>`) : '—',
  });
  const success = instruments([SUCCEEDING_TEST_VALUES.card], [SUCCEEDING_TEST_VALUES.vpa]);
  return html`<section class="card" id="test-values" data-test-id="section-test-values" aria-labelledby="test-values-title">
  <h2 id="test-values-title">Test values</h2>
  <p>With <code>TEST_MODE=true</code> these cards and VPAs end a payment the way the table says, each failure with its own <code>error_code</code> and <code>error_description</code>. Any expiry in the future and any CVV work; any other valid card number or VPA succeeds. <code>gateway trigger</code> uses the same values.</p>
  <div class="table-scroll" tabindex="0" role="region" aria-label="Test values">
    <table class="table table-compact" data-test-id="test-values-table">
      <caption class="visually-hidden">Test cards and VPAs with the outcome each produces</caption>
      <thead><tr><th scope="col">Outcome</th><th scope="col">Card</th><th scope="col">UPI VPA</th><th scope="col"><code>error_code</code></th><th scope="col"><code>error_description</code></th></tr></thead>
      <tbody>
        <tr data-outcome="success"><td>Succeeds</td><td>${success.cards}</td><td>${success.vpas}</td><td>—</td><td>—</td></tr>
        ${TEST_VALUES.map((value) => {
          const { cards, vpas } = instruments(value.cards, value.vpas);
          const code = value.outcome === 'DISPUTED' || value.outcome === 'success' ? null : value.outcome;
          return html`<tr data-outcome="${value.outcome}"><td>${value.summary}</td><td>${cards}</td><td>${vpas}</td><td>${code ? html`<code>${code}</code>` : '—'}</td><td>${code ? DECLINE_DESCRIPTIONS[code] : '—'}</td></tr>`;
        })}
      </tbody>
    </table>
  </div>
</section>`;
}

export function docsView(data: DocsData): Html {
  const { snippets } = data;
  const secretHidden = snippets.apiSecret === null;
  const secretNote = secretHidden
    ? html`Set <code>GATEWAY_API_SECRET</code> to your API secret (shown once, on the Overview page) before running it; the page never prints it.`
    : html`It uses the public test credentials, so it runs as is.`;
  return html`<div data-test-id="api-docs" class="docs">
<h1>Integration guide</h1>
<p class="lead">Three steps: your server creates an order, the checkout takes the payment, and a signed webhook tells your server the outcome.
${data.signedIn ? html`The examples use your API key <code>${snippets.apiKey}</code>.` : html`<a href="/login">Sign in</a> to see the examples with your own API key.`}</p>
<div class="docs-layout">
${docsNav(data.openapi)}
<div class="docs-content">
${data.signedIn && secretHidden ? sampleSecretForm() : null}
<section class="card" data-test-id="section-create-order" aria-labelledby="create-order">
  <h2 id="create-order">1. Create an order</h2>
  <p>From your server, with your API key and secret. Amounts are in paise: <code>50000</code> is ₹500.00. ${secretNote}</p>
  ${snippet('code-snippet-create-order', 'Shell', createOrderSnippet(snippets), 'create order example', secretHidden)}
  <p class="muted">Send an <code>Idempotency-Key</code> header to make retries safe: a repeat returns the first response.</p>
</section>
<section class="card" data-test-id="section-sdk-integration" aria-labelledby="sdk-integration">
  <h2 id="sdk-integration">2. Open the checkout</h2>
  <p>On your page, load <code>checkout.js</code> and open the checkout with the order's id. The payment form runs in a modal, on the gateway's origin: card data never touches your page.</p>
  ${snippet('code-snippet-sdk', 'HTML', sdkSnippet(snippets), 'checkout SDK example')}
</section>
<section class="card" data-test-id="section-webhook-verification" aria-labelledby="webhook-verification">
  <h2 id="webhook-verification">3. Verify webhooks</h2>
  <p>Each delivery carries <code>X-Webhook-Signature</code>: the hex HMAC-SHA256 of the raw request body, keyed with your webhook secret (Webhooks page). Compute it over the bytes exactly as received, before parsing, and compare in constant time. Answer 2xx quickly; anything else is retried (5 attempts).</p>
  ${snippet('code-snippet-webhook', 'JavaScript (Node.js)', webhookSnippet(), 'webhook verification example')}
</section>
${testValuesSection()}
${apiReference(data.openapi, snippets)}
</div>
</div>
</div>`;
}
