import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOfPayment } from '../../src/db/events.js';
import { allFoundPayments } from '../../src/db/payment-search.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { CSV_COLUMNS } from '../../src/services/payment-search.js';
import { DashboardClient, uniqueEmail } from '../support/dashboard-client.js';
import { startTestGateway, successfulPayment, type TestGateway, waitFor } from '../support/gateway.js';

/**
 * The queries only the dashboard's pages make, against the real API, PostgreSQL and workers: a
 * payment's timeline, the transactions search and its CSV export. Each is merchant-isolated: a
 * second merchant's rows never appear, whatever is asked.
 */
let gw: TestGateway;
let first: DashboardClient;
let second: DashboardClient;
let secondAuth: { key: string; secret: string };

beforeAll(async () => {
  gw = await startTestGateway({ workers: true });
  first = new DashboardClient(gw.url);
  expect((await first.login(TEST_MERCHANT.email, 'x')).status).toBe(200);
  second = new DashboardClient(gw.url);
  const signedUp = await second.signUp('Second Shop', uniqueEmail('queries'), 'second password');
  expect(signedUp.status).toBe(201);
  // The API secret is shown once, in the sign-up answer.
  secondAuth = { key: signedUp.body.credentials.api_key, secret: signedUp.body.credentials.api_secret };
});
afterAll(() => gw?.close());

const testAuth = { key: TEST_MERCHANT.api_key, secret: TEST_MERCHANT.api_secret };

describe("a payment's timeline", () => {
  it('lists the events of the payment and of its refunds, oldest first', async () => {
    const paymentId = await successfulPayment(gw, 40_000, testAuth);
    const refund = await gw.request('POST', `/api/v1/payments/${paymentId}/refunds`, {
      body: { amount: 5_000 },
      auth: testAuth,
    });
    expect(refund.status).toBe(201);
    await waitFor(
      async () =>
        (await gw.request('GET', `/api/v1/refunds/${refund.body.id}`, { auth: testAuth })).body.status ===
        'processed',
    );
    // Someone else's payment meanwhile, to be left out.
    await successfulPayment(gw, 40_000, secondAuth);
    const detail = (await first.request('GET', `/dashboard/api/payments/${paymentId}/detail`)).body;
    expect(detail.events.map((event: { type: string }) => event.type)).toEqual([
      'payment.created',
      'payment.pending',
      'payment.success',
      'refund.created',
      'refund.processed',
    ]);
    expect(detail.events[3].data.refund.id).toBe(refund.body.id);
    // The same events the public event list names for the payment and for the refund.
    const listed = async (resource: string) =>
      (await gw.request('GET', `/api/v1/events?resource_id=${resource}`, { auth: testAuth })).body.data.map(
        (event: { id: string }) => event.id,
      );
    const ids = [...(await listed(refund.body.id)), ...(await listed(paymentId))].reverse();
    expect(detail.events.map((event: { id: string }) => event.id)).toEqual(ids);
  });

  it('is empty for another merchant, even asked below the service', async () => {
    const paymentId = await successfulPayment(gw, 20_000, testAuth);
    expect((await second.request('GET', `/dashboard/api/payments/${paymentId}/detail`)).status).toBe(404);
    const secondId = (await second.request('GET', '/dashboard/api/session')).body.merchant.id;
    expect(await eventsOfPayment(gw.runtime.db, paymentId, secondId, 100)).toEqual([]);
    expect((await eventsOfPayment(gw.runtime.db, paymentId, TEST_MERCHANT.id, 100)).length).toBe(3);
  });
});

/** A payment on a fresh order with this receipt, once the worker has decided it. */
async function paymentWith(
  auth: { key: string; secret: string },
  receipt: string,
  instrument: { vpa: string } | { card: string },
  amount = 10_000,
): Promise<string> {
  const order = await gw.request('POST', '/api/v1/orders', { body: { amount, receipt }, auth });
  expect(order.status).toBe(201);
  const body =
    'vpa' in instrument
      ? { order_id: order.body.id, method: 'upi', vpa: instrument.vpa }
      : {
          order_id: order.body.id,
          method: 'card',
          card: {
            number: instrument.card,
            expiry_month: '12',
            expiry_year: '2040',
            cvv: '123',
            holder_name: 'A',
          },
        };
  const created = await gw.request('POST', '/api/v1/payments', { body, auth });
  expect(created.status).toBe(201);
  await waitFor(
    async () =>
      (await gw.request('GET', `/api/v1/payments/${created.body.id}`, { auth })).body.status !== 'pending',
  );
  return created.body.id;
}

const idsOnPage = (html: string) =>
  [...html.matchAll(/data-test-id="transaction-row" data-payment-id="([^"]+)"/g)].map((match) => match[1]);

function parseCsv(text: string): string[][] {
  // Enough for what the export writes: quoted fields with doubled quotes, CRLF line ends.
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  return rows;
}

describe('searching transactions and exporting them', () => {
  let upi: string;
  let card: string;
  let tricky: string;
  let theirs: string[];

  beforeAll(async () => {
    upi = await paymentWith(testAuth, 'rcpt-search-001', { vpa: 'Alice.Search@okbank' });
    card = await paymentWith(testAuth, 'inv-2024-17', { card: '5555 5555 5555 4444' });
    tricky = await paymentWith(testAuth, '=HYPERLINK("http://evil.example","x"), more', {
      vpa: 'bob@okbank',
    });
    // The second merchant's payments look the same in every way a search could match.
    theirs = [
      await paymentWith(secondAuth, 'rcpt-search-001', { vpa: 'alice.search@okbank' }),
      await paymentWith(secondAuth, 'inv-2024-17', { card: '5555 5555 5555 4444' }),
    ];
  });

  it('finds payments by VPA, receipt, last four digits, payment id and order id; never another merchant’s', async () => {
    const orderOf = async (id: string) =>
      (await gw.request('GET', `/api/v1/payments/${id}`, { auth: testAuth })).body.order_id as string;
    const cases: Array<[string, string[]]> = [
      ['alice.search', [upi]],
      ['ALICE.SEARCH@OKBANK', [upi]],
      ['rcpt-search', [upi]],
      ['4444', [card]],
      ['inv-2024', [card]],
      [upi, [upi]],
      [await orderOf(card), [card]],
      [theirs[0] as string, []],
      ['100%_', []],
    ];
    for (const [q, expected] of cases) {
      const page = await first.page(`/dashboard/transactions?q=${encodeURIComponent(q)}`);
      expect(page.status, q).toBe(200);
      expect(idsOnPage(page.text), q).toEqual(expected);
    }
    // The second merchant finds its own, and only those.
    const own = await second.page('/dashboard/transactions?q=alice.search');
    expect(idsOnPage(own.text)).toEqual([theirs[0]]);
    const failed = await first.page('/dashboard/transactions?q=okbank&status=failed');
    expect(idsOnPage(failed.text)).toEqual([]);
  });

  it('filters by a range of UTC days, both ends included, and explains a bad date', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const today = await first.page(`/dashboard/transactions?q=okbank&from=${day(0)}&to=${day(0)}`);
    expect(idsOnPage(today.text)).toEqual([tricky, upi]);
    expect((await first.page(`/dashboard/transactions?q=okbank&from=${day(1)}`)).text).toContain(
      'data-test-id="transactions-empty"',
    );
    expect(idsOnPage((await first.page(`/dashboard/transactions?q=okbank&to=${day(-1)}`)).text)).toEqual([]);
    const bad = await first.page('/dashboard/transactions?from=2024-02-30');
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('data-test-id="filter-error"');
    expect(bad.text).toContain('from must be a date written YYYY-MM-DD');
    const backwards = await first.page(`/dashboard/transactions?from=${day(0)}&to=${day(-1)}`);
    expect(backwards.text).toContain('from must be on or before to');
  });

  it('exports the filtered list as CSV, for the signed-in merchant only', async () => {
    const csv = await first.request('GET', '/dashboard/api/payments/export.csv?q=okbank');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.map((row) => row[0])).toEqual([tricky, upi]);
    const column = (row: string[] | undefined, name: (typeof CSV_COLUMNS)[number]) =>
      row?.[CSV_COLUMNS.indexOf(name)];
    const upiRow = rows.find((row) => row[0] === upi);
    expect(column(upiRow, 'receipt')).toBe('rcpt-search-001');
    expect(column(upiRow, 'vpa')).toBe('Alice.Search@okbank');
    expect(column(upiRow, 'amount')).toBe('10000');
    expect(column(upiRow, 'amount_decimal')).toBe('100.00');
    expect(column(upiRow, 'status')).toBe('success');
    // A receipt that would be a spreadsheet formula is defused; its comma and quotes survive intact.
    expect(column(rows[0], 'receipt')).toBe(`'=HYPERLINK("http://evil.example","x"), more`);

    // Unfiltered, each merchant's export holds exactly its own payments.
    const mine = parseCsv((await first.request('GET', '/dashboard/api/payments/export.csv')).text).slice(1);
    const listed = (await gw.request('GET', '/api/v1/payments?limit=100', { auth: testAuth })).body.data;
    expect(mine.map((row) => row[0])).toEqual(listed.map((payment: { id: string }) => payment.id));
    for (const id of theirs) expect(mine.some((row) => row[0] === id)).toBe(false);
    const others = parseCsv((await second.request('GET', '/dashboard/api/payments/export.csv')).text).slice(
      1,
    );
    const theirList = (await gw.request('GET', '/api/v1/payments?limit=100', { auth: secondAuth })).body.data;
    expect(others.map((row) => row[0])).toEqual(theirList.map((payment: { id: string }) => payment.id));
    for (const id of theirs) expect(others.some((row) => row[0] === id)).toBe(true);
    expect(others.some((row) => row[0] === upi || row[0] === card || row[0] === tricky)).toBe(false);

    expect(
      (await first.request('GET', '/dashboard/api/payments/export.csv?from=yesterday')).body.error,
    ).toMatchObject({
      code: 'BAD_REQUEST_ERROR',
      field: 'from',
    });
    expect((await first.request('GET', '/dashboard/api/payments/export.csv?nope=1')).status).toBe(400);
    const signedOut = await new DashboardClient(gw.url).request('GET', '/dashboard/api/payments/export.csv');
    expect(signedOut.status).toBe(401);
  });

  it('reads a long export in keyset batches, each payment once, newest first', async () => {
    const batches: string[][] = [];
    for await (const batch of allFoundPayments(gw.runtime.db, TEST_MERCHANT.id, {}, 2)) {
      batches.push(batch.map((payment) => payment.id));
    }
    const listed = (await gw.request('GET', '/api/v1/payments?limit=100', { auth: testAuth })).body.data;
    expect(batches.flat()).toEqual(listed.map((payment: { id: string }) => payment.id));
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
    expect(batches.length).toBeGreaterThan(2);
  });
});
