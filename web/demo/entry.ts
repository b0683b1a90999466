// The demo store's own script: it behaves like a merchant's page, using only window.PaymentGateway.
import type { PaymentGateway as Sdk } from '../sdk/payment-gateway.js';

declare global {
  interface Window {
    PaymentGateway: typeof Sdk;
  }
}

interface DemoOrder {
  key: string;
  order_id: string;
}

const form = document.querySelector<HTMLFormElement>('[data-test-id="demo-form"]');
const result = document.querySelector<HTMLElement>('[data-test-id="demo-result"]');
const button = document.querySelector<HTMLButtonElement>('[data-test-id="demo-pay-button"]');
const amountInput = document.querySelector<HTMLInputElement>('#amount');

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  void checkout();
});

function say(message: string): void {
  if (result) result.textContent = message;
}

async function checkout(): Promise<void> {
  const amount = Math.round(Number(amountInput?.value ?? '0') * 100);
  if (button) button.disabled = true;
  say('Creating an order…');
  try {
    const order = await createOrder(amount);
    say(`Order ${order.order_id} created. Complete the payment in the checkout.`);
    new window.PaymentGateway({
      key: order.key,
      orderId: order.order_id,
      onSuccess: (data) => say(`Payment ${data.paymentId} succeeded for order ${data.orderId}.`),
      onFailure: (data) =>
        say(
          `Payment ${data.paymentId} failed: ${data.error?.description ?? 'declined'}. You can retry in the checkout.`,
        ),
      onClose: () => say('Checkout closed before the payment completed.'),
    }).open();
  } catch (err) {
    say((err as Error).message);
  } finally {
    if (button) button.disabled = false;
  }
}

/** The merchant's server creates the order (it holds the secret); the page only asks it to. */
async function createOrder(amount: number): Promise<DemoOrder> {
  const response = await fetch('demo/orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount }),
  }).catch(() => {
    throw new Error('The demo server could not be reached.');
  });
  const body = (await response.json().catch(() => ({}))) as Partial<DemoOrder> & {
    error?: { description?: string };
  };
  if (!response.ok || !body.order_id || !body.key) {
    throw new Error(`Could not create an order: ${body.error?.description ?? `HTTP ${response.status}`}`);
  }
  return body as DemoOrder;
}
