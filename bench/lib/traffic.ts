import autocannon from 'autocannon';
import pg from 'pg';
import { TEST_MERCHANT } from '../../src/db/seed.js';

export const AUTH = {
  'X-Api-Key': TEST_MERCHANT.api_key,
  'X-Api-Secret': TEST_MERCHANT.api_secret,
  'Content-Type': 'application/json',
};

/** The body of a payment that pays one order by UPI, as every benchmark pays. */
export const paymentBody = (orderId: string) =>
  JSON.stringify({ order_id: orderId, method: 'upi', vpa: 'user@paytm' });

/** Orders are set-up, not what is measured: they are inserted straight into the database. */
export async function seedOrders(databaseUrl: string, count: number): Promise<string[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const result = await db.query<{ id: string }>(
      `INSERT INTO orders (id, merchant_id, amount, currency, created_at, updated_at)
       SELECT 'order_' || substr(md5(random()::text || n::text), 1, 16), $1, 50000, 'INR', now(), now()
       FROM generate_series(1, $2) AS n
       RETURNING id`,
      [TEST_MERCHANT.id, count],
    );
    return result.rows.map((row) => row.id);
  } finally {
    await db.end();
  }
}

export async function setWebhookUrl(apiUrl: string, url: string): Promise<void> {
  const res = await fetch(`${apiUrl}/api/v1/merchant/webhook`, {
    method: 'PUT',
    headers: AUTH,
    body: JSON.stringify({ webhook_url: url }),
  });
  if (!res.ok) throw new Error(`setting the webhook URL failed: ${res.status} ${await res.text()}`);
}

/**
 * One payment per order through the API, `connections` at a time, optionally paced to `ratePerSecond`.
 * Returns how many were answered 201 and how long it took.
 */
export async function createPayments(
  apiUrls: string[],
  orderIds: string[],
  options: { connections: number; ratePerSecond?: number },
): Promise<{ created: number; failed: number; seconds: number }> {
  const started = Date.now();
  const share = Math.ceil(orderIds.length / apiUrls.length);
  const results = await Promise.all(
    apiUrls.map((url, i) => {
      const mine = orderIds.slice(i * share, (i + 1) * share);
      let next = 0;
      return autocannon({
        url: `${url}/api/v1/payments`,
        connections: Math.ceil(options.connections / apiUrls.length),
        amount: mine.length,
        overallRate: options.ratePerSecond ? Math.ceil(options.ratePerSecond / apiUrls.length) : undefined,
        method: 'POST',
        headers: AUTH,
        requests: [
          {
            setupRequest: (request: autocannon.Request) => ({
              ...request,
              body: paymentBody(mine[next++ % mine.length] as string),
            }),
          },
        ],
      });
    }),
  );
  const created = results.reduce((sum, r) => sum + (r['2xx'] ?? 0), 0);
  const failed = results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
  return { created, failed, seconds: (Date.now() - started) / 1000 };
}

/** One paced request: when it was sent and answered (epoch ms), and the payment it created. */
export interface PacedAnswer {
  paymentId: string | null;
  sentAt: number;
  answeredAt: number;
}

/**
 * Creates one payment per order at a steady rate, each sent at its own moment whether or not the
 * earlier ones have been answered (an open loop, as independent customers arrive). autocannon's rate
 * limit sends each second's share in a burst at the start of the second, which measures the queue
 * a burst builds rather than the latency of the offered rate.
 */
export async function createPaymentsPaced(
  apiUrls: string[],
  orderIds: string[],
  ratePerSecond: number,
): Promise<{ created: number; failed: number; seconds: number; answers: PacedAnswer[] }> {
  const started = performance.now();
  const pending: Promise<PacedAnswer>[] = [];
  for (const [i, orderId] of orderIds.entries()) {
    const wait = started + (i * 1000) / ratePerSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const url = apiUrls[i % apiUrls.length];
    const sentAt = Date.now();
    pending.push(
      fetch(`${url}/api/v1/payments`, {
        method: 'POST',
        headers: AUTH,
        body: paymentBody(orderId),
      }).then(
        async (response) => {
          const body = (await response.json().catch(() => null)) as { id?: string } | null;
          const paymentId = response.status === 201 && body?.id ? body.id : null;
          return { paymentId, sentAt, answeredAt: Date.now() };
        },
        () => ({ paymentId: null, sentAt, answeredAt: Date.now() }),
      ),
    );
  }
  const answers = await Promise.all(pending);
  const created = answers.filter((a) => a.paymentId !== null).length;
  return {
    created,
    failed: answers.length - created,
    seconds: (performance.now() - started) / 1000,
    answers,
  };
}
