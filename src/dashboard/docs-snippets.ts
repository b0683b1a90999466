import { SECRET_PLACEHOLDER } from './openapi-examples.js';

/**
 * The docs page's three integration snippets, filled in for the reader: the API and checkout
 * addresses, the merchant's own API key, and its secret only where that is a public test secret
 * (otherwise an environment variable stands in, so the page never prints a real secret).
 */
export interface SnippetValues {
  apiUrl: string;
  checkoutUrl: string;
  apiKey: string;
  /** The secret to print, or null to reference $GATEWAY_API_SECRET instead. */
  apiSecret: string | null;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function createOrderSnippet(values: SnippetValues): string {
  const secret = values.apiSecret ?? SECRET_PLACEHOLDER;
  return `curl -X POST ${trimSlash(values.apiUrl)}/api/v1/orders \\
  -H "X-Api-Key: ${values.apiKey}" \\
  -H "X-Api-Secret: ${secret}" \\
  -H "Content-Type: application/json" \\
  -d '{
    "amount": 50000,
    "currency": "INR",
    "receipt": "receipt_123"
  }'`;
}

export function sdkSnippet(values: SnippetValues): string {
  return `<script src="${trimSlash(values.checkoutUrl)}/checkout.js"></script>
<button id="pay-button">Pay ₹500.00</button>
<script>
  // orderId comes from your server, which created the order (step 1).
  document.getElementById('pay-button').addEventListener('click', function () {
    const checkout = new PaymentGateway({
      key: '${values.apiKey}',
      orderId: 'order_xyz',
      onSuccess: function (response) {
        console.log('Payment succeeded:', response.paymentId);
      },
      onFailure: function (error) {
        console.log('Payment failed:', error);
      },
      onClose: function () {
        console.log('Checkout closed');
      }
    });
    checkout.open();
  });
</script>`;
}

/**
 * A complete receiver on Node's standard library: the signature is checked over the raw bytes as
 * received, before any JSON parsing (re-serialising a parsed body may not give the same bytes).
 */
export function webhookSnippet(): string {
  return `// Node.js 18+, no dependencies. Run: WEBHOOK_SECRET=whsec_... node webhook-receiver.js
const crypto = require('node:crypto');
const http = require('node:http');

const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET;

function verifySignature(rawBody, signature, secret) {
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
  const given = Buffer.from(String(signature || ''), 'utf8');
  return given.length === expected.length &&
    crypto.timingSafeEqual(given, Buffer.from(expected, 'utf8'));
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const rawBody = Buffer.concat(chunks); // exactly the bytes that were signed
    if (!verifySignature(rawBody, req.headers['x-webhook-signature'], WEBHOOK_SECRET)) {
      res.writeHead(401).end('invalid signature');
      return;
    }
    const event = JSON.parse(rawBody.toString('utf8'));
    console.log('Received', event.event, JSON.stringify(event.data));
    res.writeHead(200).end('ok');
  });
}).listen(Number(process.env.PORT || 4000));`;
}
