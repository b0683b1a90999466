import { TEST_MERCHANT } from '../db/seed.js';

/**
 * The demo store's "server side": it creates the order the way a merchant's backend does, over HTTP
 * with the test merchant's key and secret, so the checkout process needs no database of its own and
 * can run in its own container (API_INTERNAL_URL names the API as seen from there).
 */
export const DEMO_AMOUNT_LIMITS = { min: 100, max: 100_000_000 } as const;
const API_TIMEOUT_MS = 5000;

export interface DemoOrderAnswer {
  status: number;
  body: unknown;
}

export async function createDemoOrder(apiUrl: string, amount: number): Promise<DemoOrderAnswer> {
  const endpoint = `${apiUrl.replace(/\/+$/, '')}/api/v1/orders`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Api-Key': TEST_MERCHANT.api_key,
        'X-Api-Secret': TEST_MERCHANT.api_secret,
      },
      body: JSON.stringify({
        amount,
        currency: 'INR',
        receipt: 'demo-store',
        notes: { source: 'checkout demo' },
      }),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch {
    return unavailable(`The API at ${apiUrl} could not be reached (API_INTERNAL_URL)`);
  }
  const body = (await response.json().catch(() => undefined)) as { id?: unknown } | undefined;
  if (response.status === 201 && typeof body?.id === 'string') {
    return { status: 201, body: { key: TEST_MERCHANT.api_key, order_id: body.id } };
  }
  if (body && typeof body === 'object' && 'error' in body) return { status: response.status, body };
  return unavailable(`The API at ${apiUrl} answered HTTP ${response.status}`);
}

function unavailable(description: string): DemoOrderAnswer {
  return { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', description } } };
}
