import { createOrderSnippet, type SnippetValues, sdkSnippet, webhookSnippet } from '../docs-snippets.js';
import { type Html, html } from '../html.js';
import { apiReference, type OpenApiDocument } from './api-reference.js';

export interface DocsData {
  snippets: SnippetValues;
  signedIn: boolean;
  openapi: OpenApiDocument;
}

function snippet(id: string, language: string, code: string, label: string): Html {
  return html`<div class="snippet">
  <div class="snippet-bar">
    <span class="snippet-language">${language}</span>
    <button type="button" class="button button-quiet button-small" data-copy="#${id}" aria-label="Copy ${label}">Copy</button>
  </div>
  <pre class="code" tabindex="0" aria-label="${label}"><code id="${id}" data-test-id="${id}">${code}</code></pre>
</div>`;
}

export function docsView(data: DocsData): Html {
  const { snippets } = data;
  const secretNote =
    snippets.apiSecret === null
      ? html`Set <code>GATEWAY_API_SECRET</code> to your API secret (Overview page) before running it; the page never prints it.`
      : html`It uses the public test credentials, so it runs as is.`;
  return html`<div data-test-id="api-docs" class="docs">
<h1>Integration guide</h1>
<p class="lead">Three steps: your server creates an order, the checkout takes the payment, and a signed webhook tells your server the outcome.
${data.signedIn ? html`The examples use your API key <code>${snippets.apiKey}</code>.` : html`<a href="/login">Sign in</a> to see the examples with your own API key.`}</p>
<nav class="toc" aria-label="On this page">
  <ul>
    <li><a href="#create-order">1. Create an order</a></li>
    <li><a href="#sdk-integration">2. Open the checkout</a></li>
    <li><a href="#webhook-verification">3. Verify webhooks</a></li>
    <li><a href="#reference-title">API reference</a></li>
  </ul>
</nav>
<section class="card" data-test-id="section-create-order" aria-labelledby="create-order">
  <h2 id="create-order">1. Create an order</h2>
  <p>From your server, with your API key and secret. Amounts are in paise: <code>50000</code> is ₹500.00. ${secretNote}</p>
  ${snippet('code-snippet-create-order', 'Shell', createOrderSnippet(snippets), 'create order example')}
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
${apiReference(data.openapi)}
</div>`;
}
