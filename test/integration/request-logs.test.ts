import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLog, RequestLogDetail } from '../../src/shapes/index.js';
import { CliProcess } from '../support/cli.js';
import { startTestGateway, TEST_AUTH, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';

/** The request log: every authenticated API request, redacted, written off the request path. */
let gw: TestGateway;
let merchant: TestMerchant;
let auth: { key: string; secret: string };

beforeAll(async () => {
  gw = await startTestGateway({ workers: true });
  merchant = await createMerchant(gw.runtime.db, 'Logged Merchant');
  auth = { key: merchant.key, secret: merchant.secret };
});
afterAll(() => gw.close());

const call = (
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) => gw.request(method, path, { ...options, auth });

/** The entry of the request answered with this X-Request-Id, once written. */
async function entryOf(response: { headers: Headers }) {
  const requestId = response.headers.get('x-request-id');
  return waitFor(async () => {
    const list = await call('GET', '/api/v1/request_logs?limit=100');
    return (list.body.data as Array<{ request_id: string; id: string; status: number }>).find(
      (e) => e.request_id === requestId,
    );
  });
}

const CARD = {
  number: '4111 1111 1111 1111',
  expiry_month: '12',
  expiry_year: '2031',
  cvv: '987',
  holder_name: 'Log Test',
};

describe('request log', () => {
  it('keeps text that JSON escapes exactly: quotes, backslashes, control and non-Latin characters', async () => {
    const receipt = 'a "quoted" \\ backslash, tab\t, newline\n';
    const notes = { 'key "with" quotes': 'value\\', other: 'ü \u2028 😀' };
    const created = await call('POST', '/api/v1/orders', {
      body: { amount: 5000, receipt, notes },
      headers: { 'Idempotency-Key': 'log-key "escaped" \\ key' },
    });
    expect(created.status).toBe(201);
    const entry = await entryOf(created);
    expect(entry).toMatchObject({ idempotency_key: 'log-key "escaped" \\ key' });
    const detail = await call('GET', `/api/v1/request_logs/${entry.id}`);
    expect(detail.body.request_body).toEqual({ amount: 5000, receipt, notes });
    expect(detail.body.response_body).toEqual(created.body);
  });

  it('records an authenticated request with its status, timing, idempotency key and request id', async () => {
    const created = await call('POST', '/api/v1/orders', {
      body: { amount: 5000, receipt: 'logged' },
      headers: { 'Idempotency-Key': 'log-key-1' },
    });
    expect(created.status).toBe(201);
    const entry = await entryOf(created);
    expect(Object.keys(entry)).toEqual(keysOf(RequestLog, entry));
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/api/v1/orders',
      status: 201,
      idempotency_key: 'log-key-1',
      request_id: created.headers.get('x-request-id'),
    });
    expect(entry.id).toMatch(/^req_[A-Za-z0-9]{16}$/);
    expect((entry as unknown as { duration_ms: number }).duration_ms).toBeGreaterThanOrEqual(0);
    const detail = await call('GET', `/api/v1/request_logs/${entry.id}`);
    expect(Object.keys(detail.body)).toEqual(keysOf(RequestLogDetail, detail.body));
    expect(detail.body.request_body).toEqual({ amount: 5000, receipt: 'logged' });
    expect(detail.body.response_body).toEqual(created.body);

    const notFound = await call('GET', '/api/v1/orders/order_0000000000000000');
    expect((await entryOf(notFound)).status).toBe(404);
  });

  it('leaves out requests no API key authenticated, and its own reads', async () => {
    const before = await gw.runtime.db.query('SELECT count(*)::int AS n FROM request_logs');
    await gw.request('GET', '/api/v1/payments', { auth: { key: auth.key, secret: 'wrong' } });
    const order = await call('POST', '/api/v1/orders', { body: { amount: 3000 } });
    await gw.request('GET', `/api/v1/orders/${order.body.id}/public`, { auth: false });
    await call('GET', '/api/v1/request_logs');
    await entryOf(order);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await gw.runtime.db.query('SELECT path, status FROM request_logs ORDER BY seq');
    const added = after.rows.slice(before.rows[0].n);
    expect(added).toEqual([{ path: '/api/v1/orders', status: 201 }]);
  });

  it('keeps no card number beyond its last four digits, no CVV and no secret, in any stored row', async () => {
    const order = await call('POST', '/api/v1/orders', {
      body: { amount: 9000, notes: { memo: 'paid with 4000-0000-0000-0002 by phone' } },
    });
    const payment = await call('POST', '/api/v1/payments', {
      body: { order_id: order.body.id, method: 'card', card: CARD },
      headers: { Authorization: 'Bearer very-private-token-1234' },
    });
    expect(payment.status).toBe(201);
    const invalid = await call('POST', '/api/v1/payments', {
      body: { order_id: order.body.id, method: 'card', card: { ...CARD, number: '4111111111111112' } },
    });
    expect(invalid.status).toBe(400);
    const endpoint = await call('POST', '/api/v1/webhook_endpoints', {
      body: { url: 'http://127.0.0.1:9/hook' },
    });
    const rotated = await call('POST', `/api/v1/webhook_endpoints/${endpoint.body.id}/secret/rotate`, {
      body: {},
    });
    const config = await call('GET', '/api/v1/merchant/webhook');
    const listen = await call('GET', '/api/v1/events/stream/secret');
    for (const response of [payment, invalid, endpoint, rotated, config, listen]) await entryOf(response);

    const stored = (
      await gw.runtime.db.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM request_logs r')
    ).rows
      .map((r) => r.row)
      .join('\n');
    const secrets = [
      auth.secret,
      TEST_AUTH['X-Api-Secret'],
      merchant.webhookSecret,
      endpoint.body.secret,
      rotated.body.secret,
      config.body.webhook_secret,
      listen.body.secret,
      'very-private-token-1234',
    ];
    for (const secret of secrets) expect(stored).not.toContain(secret);
    for (const pan of [
      '4111 1111 1111',
      '411111111111',
      '4111111111111112',
      '4000-0000-0000',
      '400000000000',
    ]) {
      expect(stored).not.toContain(pan);
    }
    expect(stored).not.toMatch(/"987"/);
    // Nothing that looks like a card number at all (13 to 19 digits, grouped or not).
    expect(stored.match(/(?<![\dA-Za-z_-])\d(?:[ -]?\d){12,18}(?![\dA-Za-z_])/g)).toBeNull();

    const detail = await call('GET', `/api/v1/request_logs/${(await entryOf(payment)).id}`);
    expect(detail.body.request_body.card).toMatchObject({ last4: '1111', holder_name: 'Log Test' });
    expect(detail.body.request_body.card).not.toHaveProperty('cvv');
    expect(detail.body.request_body.card).not.toHaveProperty('number');
    expect(detail.body.response_body).toMatchObject({ card_last4: '1111', card_network: 'visa' });
    const orderDetail = await call('GET', `/api/v1/request_logs/${(await entryOf(order)).id}`);
    expect(orderDetail.body.request_body.notes.memo).toBe('paid with ************0002 by phone');
    const endpointDetail = await call('GET', `/api/v1/request_logs/${(await entryOf(endpoint)).id}`);
    expect(endpointDetail.body.response_body.secret).toBe('[redacted]');
  });

  it('filters by status, status class, method and path prefix, and pages with starting_after and ending_before', async () => {
    const other = await createMerchant(gw.runtime.db, 'Filter Merchant');
    const as = { key: other.key, secret: other.secret };
    const go = (method: string, path: string, body?: unknown) => gw.request(method, path, { body, auth: as });
    const order = await go('POST', '/api/v1/orders', { amount: 1000 });
    await go('POST', '/api/v1/orders', { amount: 5 });
    await go('GET', `/api/v1/orders/${order.body.id}`);
    const last = await go('GET', '/api/v1/payments');
    const list = async (query: string) => {
      const response = await go('GET', `/api/v1/request_logs?${query}`);
      expect(response.status, response.text).toBe(200);
      return response.body as {
        data: Array<{ id: string; method: string; path: string; status: number }>;
        has_more: boolean;
      };
    };
    await waitFor(async () => (await list('limit=100')).data.length === 4);
    expect((await list('status=201')).data.map((e) => e.status)).toEqual([201]);
    expect((await list('status=4xx')).data.map((e) => e.status)).toEqual([400]);
    expect((await list('status=2xx')).data).toHaveLength(3);
    expect((await list('method=get')).data.map((e) => e.path)).toEqual([
      '/api/v1/payments',
      `/api/v1/orders/${order.body.id}`,
    ]);
    expect((await list('path=/api/v1/orders')).data).toHaveLength(3);
    expect((await list('path=/api/v1/orders&method=POST&status=201')).data).toHaveLength(1);

    const first = await list('limit=2');
    expect(first.has_more).toBe(true);
    const second = await list(`limit=2&starting_after=${first.data[1]!.id}`);
    expect(second.has_more).toBe(false);
    const all = (await list('limit=100')).data.map((e) => e.id);
    expect([...first.data, ...second.data].map((e) => e.id)).toEqual(all);
    expect((await list(`ending_before=${all[2]}`)).data.map((e) => e.id)).toEqual(all.slice(0, 2));
    expect(all[0]).toBe((await entryOfOther(as, last)).id);

    for (const bad of ['status=99', 'status=6xx', 'method=GET%20', 'limit=0', 'starting_after=req_nope']) {
      const response = await go('GET', `/api/v1/request_logs?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe('BAD_REQUEST_ERROR');
    }
  });

  it('shows a merchant only its own entries', async () => {
    const mine = await call('POST', '/api/v1/orders', { body: { amount: 2500 } });
    const entry = await entryOf(mine);
    const stranger = await createMerchant(gw.runtime.db, 'Stranger');
    const as = { key: stranger.key, secret: stranger.secret };
    expect((await gw.request('GET', `/api/v1/request_logs/${entry.id}`, { auth: as })).status).toBe(404);
    const listed = await gw.request('GET', '/api/v1/request_logs?limit=100', { auth: as });
    expect(listed.body.data).toEqual([]);
    const cursor = await gw.request('GET', `/api/v1/request_logs?starting_after=${entry.id}`, { auth: as });
    expect(cursor.status).toBe(400);
    expect((await gw.request('GET', '/api/v1/request_logs/req_0000000000000000', { auth })).status).toBe(404);
  });

  it('is purged by the sweeper after REQUEST_LOG_RETENTION_DAYS (7 by default)', async () => {
    const old = await call('POST', '/api/v1/orders', { body: { amount: 1111 } });
    const recent = await call('POST', '/api/v1/orders', { body: { amount: 2222 } });
    const [oldEntry, recentEntry] = [await entryOf(old), await entryOf(recent)];
    await gw.runtime.db.query(
      "UPDATE request_logs SET created_at = now() - interval '7 days 1 minute' WHERE id = $1",
      [oldEntry.id],
    );
    await gw.runtime.db.query(
      "UPDATE request_logs SET created_at = now() - interval '6 days 23 hours' WHERE id = $1",
      [recentEntry.id],
    );
    await gw.workers!.sweeper.sweepOnce();
    expect((await call('GET', `/api/v1/request_logs/${oldEntry.id}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/request_logs/${recentEntry.id}`)).status).toBe(200);
  });

  it('gateway logs tail prints new entries that match its filters', async () => {
    const tail = new CliProcess(
      ['logs', 'tail', '--path', '/api/v1/orders', '--status', '2xx', '--interval', '200'],
      {
        GATEWAY_API_URL: gw.url,
        GATEWAY_API_KEY: auth.key,
        GATEWAY_API_SECRET: auth.secret,
      },
    );
    try {
      await waitFor(() => tail.stderr.some((line) => line.startsWith('Tailing')), 20_000);
      const order = await call('POST', '/api/v1/orders', { body: { amount: 4321 } });
      await call('POST', '/api/v1/orders', { body: { amount: 1 } });
      await call('GET', '/api/v1/payments');
      const entry = await entryOf(order);
      const { input: line } = await tail.waitForLine(
        new RegExp(`\\[201\\] POST /api/v1/orders .* ${entry.id}$`),
      );
      expect(line).toMatch(
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}\[201\] POST \/api\/v1\/orders {2}[\d.]+ ms {2}req_/,
      );
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(tail.stdout.filter((l) => l.includes('req_'))).toHaveLength(1);
    } finally {
      await tail.stop();
    }
  });
});

async function entryOfOther(as: { key: string; secret: string }, response: { headers: Headers }) {
  const requestId = response.headers.get('x-request-id');
  const list = await gw.request('GET', '/api/v1/request_logs?limit=100', { auth: as });
  return (list.body.data as Array<{ request_id: string; id: string; status: number }>).find(
    (e) => e.request_id === requestId,
  )!;
}
