import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '../../src/shapes/index.js';
import { StreamReader } from '../support/event-stream.js';
import { createOrder, startTestGateway, TEST_AUTH, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';

/** GET /api/v1/events/stream: Server-Sent Events read from the events table, woken by NOTIFY. */
let gw: TestGateway;
let other: TestMerchant;
const auth: { key: string; secret: string } = {
  key: TEST_AUTH['X-Api-Key'],
  secret: TEST_AUTH['X-Api-Secret'],
};
const readers: StreamReader[] = [];

beforeAll(async () => {
  gw = await startTestGateway({ workers: true, env: { EVENT_STREAM_HEARTBEAT_MS: '200' } });
  other = await createMerchant(gw.runtime.db, 'Stream Neighbour');
});
afterAll(async () => {
  for (const reader of readers) reader.close();
  await gw.close();
});

async function open(options: { types?: string[]; lastEventId?: string } = {}, who = auth) {
  const reader = await StreamReader.open(gw.url, who, options);
  readers.push(reader);
  return reader;
}

/** A UPI payment on a fresh order, decided by the worker; returns its id. */
async function pay(who = auth, vpa = 'user@paytm') {
  const order = await createOrder(gw, 10_000, who);
  const created = await gw.request('POST', '/api/v1/payments', {
    body: { order_id: order.id, method: 'upi', vpa },
    auth: who,
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const typesOf = (reader: StreamReader, resourceId: string) =>
  reader.events.filter((event) => JSON.stringify(event.data).includes(resourceId)).map((event) => event.type);

describe('event stream', () => {
  it('sends each new event once, in order, as the event API shows it, with its id as the message id', async () => {
    const reader = await open();
    const paymentId = await pay();
    await waitFor(() => typesOf(reader, paymentId).length === 3);
    expect(typesOf(reader, paymentId)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    for (const event of reader.events) {
      expect(Object.keys(event)).toEqual(keysOf(Event, event));
      const { deliveries: _, ...stored } = (await gw.request('GET', `/api/v1/events/${event.id}`)).body;
      expect(event).toEqual(stored);
    }
    expect(new Set(reader.ids()).size).toBe(reader.events.length);
  });

  it('answers text/event-stream with heartbeat comments, and refuses bad requests in the error format', async () => {
    const response = await fetch(`${gw.url}/api/v1/events/stream`, {
      headers: { 'X-Api-Key': auth.key, 'X-Api-Secret': auth.secret },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    await response.body?.cancel();

    const reader = await open();
    await waitFor(() => reader.comments.filter((c) => c.includes('heartbeat')).length >= 2, 5000);

    const unauthenticated = await gw.request('GET', '/api/v1/events/stream', { auth: false });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.error.code).toBe('AUTHENTICATION_ERROR');
    const badType = await gw.request('GET', '/api/v1/events/stream?type=payment.exploded');
    expect(badType.status).toBe(400);
    expect(badType.body.error.code).toBe('BAD_REQUEST_ERROR');
    const unknownResume = await gw.request('GET', '/api/v1/events/stream', {
      headers: { 'Last-Event-ID': 'evt_0000000000000000' },
    });
    expect(unknownResume.status).toBe(400);
  });

  it('filters by type as endpoint filters do: exact types, resource.* and *', async () => {
    const exact = await open({ types: ['payment.success'] });
    const prefix = await open({ types: ['refund.*'] });
    const everything = await open({ types: ['*'] });
    const paymentId = await pay();
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/payments/${paymentId}`)).body.status === 'success',
    );
    const refund = await gw.request('POST', `/api/v1/payments/${paymentId}/refunds`, {
      body: { amount: 100 },
    });
    expect(refund.status).toBe(201);
    const refundId = refund.body.id as string;
    await waitFor(() => typesOf(everything, refundId).includes('refund.processed'));
    await waitFor(() => typesOf(prefix, refundId).length === 2);
    expect(typesOf(exact, paymentId)).toEqual(['payment.success']);
    expect(exact.events.every((e) => e.type === 'payment.success')).toBe(true);
    expect(typesOf(prefix, refundId)).toEqual(['refund.created', 'refund.processed']);
    expect(prefix.events.every((e) => e.type.startsWith('refund.'))).toBe(true);
    expect(typesOf(everything, paymentId)).toEqual([
      'payment.created',
      'payment.pending',
      'payment.success',
      'refund.created',
      'refund.processed',
    ]);
  });

  it('resumes after Last-Event-ID with every event recorded since, also those recorded while disconnected', async () => {
    const first = await open();
    const before = await pay();
    await waitFor(() => typesOf(first, before).length === 3);
    const lastSeen = first.events.find((e) => e.type === 'payment.created' && typesOf(first, before).length)!;
    first.close();
    // Recorded while nobody listens.
    const during = await pay();
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/payments/${during}`)).body.status === 'success',
    );

    const resumed = await open({ lastEventId: lastSeen.id });
    const after = await pay();
    await waitFor(() => typesOf(resumed, after).length === 3);
    expect(typesOf(resumed, before)).toEqual(['payment.pending', 'payment.success']);
    expect(typesOf(resumed, during)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    expect(resumed.ids()).not.toContain(lastSeen.id);
    // The query parameter does the same for clients that cannot set the header.
    const byQuery = await fetch(`${gw.url}/api/v1/events/stream?last_event_id=${lastSeen.id}`, {
      headers: { 'X-Api-Key': auth.key, 'X-Api-Secret': auth.secret },
    });
    expect(byQuery.status).toBe(200);
    await byQuery.body?.cancel();
  });

  it("shows a merchant only its own events, and refuses to resume after another merchant's", async () => {
    const otherAuth = { key: other.key, secret: other.secret };
    const mine = await open();
    const theirs = await open({}, otherAuth);
    const myPayment = await pay();
    const theirPayment = await pay(otherAuth);
    await waitFor(() => typesOf(mine, myPayment).length === 3 && typesOf(theirs, theirPayment).length === 3);
    expect(typesOf(theirs, myPayment)).toEqual([]);
    expect(typesOf(mine, theirPayment)).toEqual([]);
    const foreign = theirs.events[0]!.id;
    const refused = await gw.request('GET', '/api/v1/events/stream', {
      headers: { 'Last-Event-ID': foreign },
    });
    expect(refused.status).toBe(400);
  });

  it('never skips an event whose transaction commits after a later one: it waits for it', async () => {
    const reader = await open();
    const held = new pg.Client({ connectionString: gw.env.DATABASE_URL });
    await held.connect();
    try {
      // This transaction records its event first (a lower seq) and commits last.
      await held.query('BEGIN');
      const early = `evt_${randomBytes(8).toString('hex')}`;
      await held.query(
        `INSERT INTO events (id, merchant_id, type, resource_id, data, created_at)
         VALUES ($1, $2, 'webhook.test', null, '{"message":"late commit"}', now())`,
        [
          early,
          (await gw.runtime.db.query('SELECT id FROM merchants WHERE api_key = $1', [auth.key])).rows[0].id,
        ],
      );
      const paymentId = await pay();
      await waitFor(
        async () => (await gw.request('GET', `/api/v1/payments/${paymentId}`)).body.status === 'success',
      );
      await held.query('COMMIT');
      await waitFor(() => reader.ids().includes(early) && typesOf(reader, paymentId).length === 3);
      // Sent in the order their transactions can be known to be over: the early one first.
      expect(reader.ids().indexOf(early)).toBeLessThan(reader.ids().findIndex((id) => id !== early));
      // And a client resuming after the payment's last event misses nothing either.
      const resumed = await open({ lastEventId: early });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(typesOf(resumed, paymentId)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    } finally {
      await held.end();
    }
  });

  it('ends every stream when the API shuts down, and frees its listening session', async () => {
    const { startTestGateway: start } = await import('../support/gateway.js');
    const second = await start();
    const reader = await StreamReader.open(second.url, auth);
    await second.app.close();
    await reader.ended;
    // The server ends a closed session's backend a moment after the client hangs up.
    const listening = async () =>
      (
        await gw.runtime.db.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'",
          [new URL(second.env.DATABASE_URL ?? '').pathname.slice(1)],
        )
      ).rows[0].n;
    await waitFor(async () => (await listening()) === 0, 5000).catch(() => undefined);
    expect(await listening()).toBe(0);
    await second.close().catch(() => undefined);
  });
});
