import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, uniqueEmail } from '../support/dashboard-client.js';
import { startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';

/** The dashboard's Logs page: the signed-in merchant's request log, filtered, with a redacted detail. */
let gw: TestGateway;
let owner: DashboardClient;
let auth: { key: string; secret: string };

beforeAll(async () => {
  gw = await startTestGateway();
  owner = new DashboardClient(gw.url);
  const signedUp = await owner.signUp('Logs Shop', uniqueEmail('logs'), 'a long passphrase');
  expect(signedUp.status).toBe(201);
  // The API secret is shown once, in the sign-up answer.
  auth = { key: signedUp.body.credentials.api_key, secret: signedUp.body.credentials.api_secret };
});
afterAll(() => gw.close());

const rowIds = (html: string) =>
  [...html.matchAll(/data-test-id="request-log-row" data-request-log-id="(req_\w+)"/g)].map((m) => m[1]);

describe('dashboard logs page', () => {
  it('lists the merchant’s API requests, filters them, and opens one with its redacted bodies', async () => {
    const empty = await owner.page('/dashboard/logs');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('data-test-id="logs-empty"');
    expect(empty.text).toContain('href="/dashboard/logs" aria-current="page"');

    const order = await gw.request('POST', '/api/v1/orders', { body: { amount: 5000 }, auth });
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: {
        order_id: order.body.id,
        method: 'card',
        card: {
          number: '4111111111111111',
          expiry_month: '12',
          expiry_year: '2031',
          cvv: '314',
          holder_name: 'L',
        },
      },
      auth,
    });
    await gw.request('GET', '/api/v1/orders/order_0000000000000000', { auth });
    const all = await waitFor(async () => {
      const page = await owner.page('/dashboard/logs');
      return rowIds(page.text).length === 3 ? page : null;
    });
    expect(all.text).toContain('data-test-id="request-logs-table"');

    const failed = await owner.page('/dashboard/logs?status=4xx');
    expect(rowIds(failed.text)).toHaveLength(1);
    expect(failed.text).toContain('<option value="4xx" selected>');
    const payments = await owner.page('/dashboard/logs?method=POST&path=%2Fapi%2Fv1%2Fpayments');
    const [paymentLog] = rowIds(payments.text);
    expect(rowIds(payments.text)).toHaveLength(1);

    const detail = await owner.page(`/dashboard/logs?log=${paymentLog}`);
    expect(detail.text).toContain(`data-test-id="log-detail" data-request-log-id="${paymentLog}"`);
    expect(detail.text).toContain('&#34;last4&#34;: &#34;1111&#34;');
    expect(detail.text).toContain(payment.body.id);
    expect(detail.text).not.toContain('4111111111111111');
    expect(detail.text).not.toContain('&#34;314&#34;');
  });

  it('shows nothing of another merchant’s log, and says so for an unknown entry', async () => {
    const mine = await waitFor(async () => rowIds((await owner.page('/dashboard/logs')).text)[0]);
    const other = new DashboardClient(gw.url);
    expect((await other.signUp('Other Shop', uniqueEmail('logs-other'), 'another passphrase')).status).toBe(
      201,
    );
    const theirs = await other.page(`/dashboard/logs?log=${mine}`);
    expect(theirs.status).toBe(200);
    expect(theirs.text).toContain('data-test-id="log-not-found"');
    expect(rowIds(theirs.text)).toEqual([]);
    // A visitor (in test mode, the test merchant) sees none of it either.
    const visitor = await new DashboardClient(gw.url).page('/dashboard/logs');
    expect(rowIds(visitor.text)).not.toContain(mine);
  });
});
