// The hosted checkout page (/checkout?order_id=…[&embedded=true]).
import { createApiClient } from './api-client.js';
import { CheckoutPage } from './checkout-page.js';
import { connectToParent, type ParentChannel } from './parent-channel.js';
import { CheckoutView } from './view.js';

const params = new URLSearchParams(window.location.search);
// The server writes the API's public address into the page, so nothing here assumes a host.
const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
const apiUrl = meta('gateway-api-url');
const testMode = meta('gateway-test-mode') === 'true';
const embedded = params.get('embedded') === 'true' && window.parent !== window;

let parent: ParentChannel | null = null;
if (embedded) {
  document.body.classList.add('embedded');
  parent = connectToParent(window);
  // Escape inside the frame closes the modal too; the SDK's own listener only hears the merchant page.
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape')
      parent?.post({ type: 'close_modal', data: { orderId: params.get('order_id') ?? '' } });
  });
}

new CheckoutPage({
  view: new CheckoutView(document),
  api: createApiClient(apiUrl),
  orderId: params.get('order_id'),
  parent,
  testMode,
  newIdempotencyKey,
}).start();

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return `checkout-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `checkout-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
