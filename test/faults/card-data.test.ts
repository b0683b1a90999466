import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFingerprint, stableStringify } from '../../src/domain/request-fingerprint.js';
import { testEnvironment, VALID_CARD, waitFor } from '../support/gateway.js';
import { findViolations, waitUntilSettled } from '../support/invariants.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { dumpDatabase, dumpRedis } from '../support/scan.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * After a card-heavy run against real API and worker processes logging at trace level — accepted,
 * declined, replayed, refused and malformed card requests, on the merchant and the public endpoint —
 * no card number or CVV is anywhere: not in PostgreSQL, not in Redis (keys or values), not in any
 * line the processes wrote.
 */
interface TestCard {
  number: string;
  cvv: string;
}

const CARDS: TestCard[] = [
  { number: '4111 1111 1111 1111', cvv: '846' },
  { number: '5555-5555-5555-4444', cvv: '593' },
  { number: '3782 822463 10005', cvv: '7391' },
  { number: '6011111111111117', cvv: '208' },
  { number: '6521 3456 7890 1238', cvv: '661' },
  { number: '4000 0000 0000 0002', cvv: '917' }, // always declined in test mode
];
const LUHN_FAILURE: TestCard = { number: '4111 1111 1111 1112', cvv: '532' };
const ALL = [...CARDS, LUHN_FAILURE];
const digits = (card: TestCard) => card.number.replace(/\D/g, '');
const BURST = 42;

let gw: ProcessGateway;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  const env = await testEnvironment({ TEST_PROCESSING_DELAY: '200' });
  gw = await ProcessGateway.start({ env, workers: 1, logLevel: 'trace' });
  await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await sink?.close();
});

const cardBody = (orderId: string, card: TestCard, extra: Record<string, unknown> = {}) => ({
  order_id: orderId,
  method: 'card',
  card: { ...VALID_CARD, number: card.number, cvv: card.cvv, ...extra },
});

async function newOrder(): Promise<string> {
  return (await gw.request('POST', '/api/v1/orders', { body: { amount: 25_000 } })).body.id;
}

/** Every way a card travels through the API, the unhappy ones included. */
async function cardHeavyRun() {
  const accepted: string[] = [];
  const answers: number[] = [];
  const keyed: Array<{ path: string; body: ReturnType<typeof cardBody> }> = [];
  const send = async (path: string, options: Parameters<ProcessGateway['request']>[2]) => {
    const res = await gw.request('POST', path, options);
    answers.push(res.status);
    if (res.status === 201 && options?.headers?.['Idempotency-Key'] && options.body) {
      keyed.push({ path, body: options.body as ReturnType<typeof cardBody> });
    }
    if (res.status === 201 && res.headers.get('idempotent-replayed') !== 'true') accepted.push(res.body.id);
    return res;
  };
  for (const [i, card] of CARDS.entries()) {
    for (const path of ['/api/v1/payments', '/api/v1/payments/public']) {
      const key = `card-${i}-${path.length}`;
      const body = cardBody(await newOrder(), card);
      await send(path, { body, headers: { 'Idempotency-Key': key } });
      await send(path, { body, headers: { 'Idempotency-Key': key } }); // replay
      await send(path, {
        body: { ...body, card: { ...body.card, cvv: '000' } },
        headers: { 'Idempotency-Key': key },
      }); // replay: the CVV takes no part in what a key remembers
      await send(path, {
        body: { ...body, card: { ...body.card, holder_name: 'Someone Else' } },
        headers: { 'Idempotency-Key': key },
      }); // 422
      await send(path, { body: cardBody(await newOrder(), card, { expiry_year: '2001' }) }); // EXPIRED_CARD
      await send(path, { body: cardBody(await newOrder(), card, { pin: '1234' }) }); // unknown field
      await send(path, { body: { ...cardBody(await newOrder(), card), vpa: 'x@y' } });
      await send(path, { rawBody: JSON.stringify(cardBody(await newOrder(), card)).slice(0, -3) }); // malformed JSON
      await send(path, { body: cardBody('order_doesnotexist00', card) }); // unknown order
      await send(path, { body: { ...cardBody(await newOrder(), card), padding: 'x'.repeat(70_000) } }); // 413
    }
  }
  // And a burst of concurrent card payments, as a busy checkout would send them.
  await Promise.all(
    Array.from({ length: BURST }, async (_, i) =>
      send(i % 2 ? '/api/v1/payments' : '/api/v1/payments/public', {
        body: cardBody(await newOrder(), CARDS[i % CARDS.length] as TestCard),
      }),
    ),
  );
  for (const path of ['/api/v1/payments', '/api/v1/payments/public']) {
    await send(path, { body: cardBody(await newOrder(), LUHN_FAILURE) }); // INVALID_CARD
    await send(path, {
      body: cardBody(await newOrder(), { number: digits(CARDS[0] as TestCard), cvv: 'abcd' }),
    });
  }
  return { accepted, answers, keyed };
}

describe('card data after a card-heavy run against real processes', () => {
  it('is nowhere: not in PostgreSQL, not in Redis, not in the logs', { timeout: 120_000 }, async () => {
    const { accepted, answers, keyed } = await cardHeavyRun();
    // Each card is accepted twice per endpoint (plainly, and with a stray vpa, ignored for cards),
    // plus the burst; the declined test card is among them every sixth time.
    expect(accepted.length).toBe(CARDS.length * 2 * 2 + BURST);
    expect(new Set(answers)).toEqual(new Set([201, 400, 404, 413, 422]));
    await waitUntilSettled(gw.db, 60_000);
    expect(await findViolations({ db: gw.db, sink })).toEqual([]);
    const declined = await waitFor(async () => {
      const { rows } = await gw.db.query("SELECT count(*)::int AS n FROM payments WHERE status = 'failed'");
      return rows[0].n;
    });
    expect(declined).toBe(4 + BURST / CARDS.length);

    const database = `${await dumpDatabase(gw.db)}\n${await pgDump(gw.env.DATABASE_URL as string)}`;
    expect(database).toContain('card_last4'); // the scan sees the card payments
    const redis = new Redis(gw.env.REDIS_URL as string);
    const { keys, text: redisDump } = await dumpRedis(redis, gw.env.QUEUE_PREFIX as string).finally(() =>
      redis.disconnect(),
    );
    expect(keys).toBeGreaterThan(0);
    const logs = gw.allOutput();
    expect(logs).toContain('"url":"/api/v1/payments/public"'); // every request's log line is scanned

    const leaks: string[] = [];
    for (const [where, text] of [
      ['PostgreSQL', database],
      ['Redis', redisDump],
      ['logs', logs],
      ['webhook deliveries', sink.requests.map((r) => r.body).join('\n')],
    ] as const) {
      for (const card of ALL) {
        for (const form of [digits(card), card.number])
          if (text.includes(form)) leaks.push(`${where}: ${form}`);
        if (text.includes(`"${card.cvv}"`)) leaks.push(`${where}: CVV ${card.cvv}`);
      }
      if (/"cvv"\s*:/i.test(text)) leaks.push(`${where}: a "cvv" field`);
      if (/"number"\s*:\s*"[\d -]{12,}/.test(text)) leaks.push(`${where}: a "number" field`);
    }
    expect(leaks).toEqual([]);

    // Nothing stored can be matched against guesses of a CVV: every one of the 1,000 three-digit
    // CVVs, put into each keyed request as it was sent, and hashed as a request fingerprint is (and
    // as one used to be, over the whole body), matches no stored value except values that are the
    // same whatever the CVV (and so say nothing about it).
    expect(keyed.length).toBeGreaterThan(0);
    const stored = storedTokens(`${database}\n${redisDump}`);
    const revealing: string[] = [];
    for (const { path, body } of keyed) {
      const matches = new Map<string, number>();
      for (let n = 0; n < 1000; n++) {
        const guess = { ...body, card: { ...body.card, cvv: String(n).padStart(3, '0') } };
        for (const candidate of [
          requestFingerprint('POST', path, guess),
          createHash('sha256')
            .update(`POST ${path}\n${stableStringify(guess)}`)
            .digest('hex'),
          createHash('sha256').update(stableStringify(guess)).digest('hex'),
          createHash('sha256').update(guess.card.cvv).digest('hex'),
        ]) {
          if (stored.has(candidate)) matches.set(candidate, (matches.get(candidate) ?? 0) + 1);
        }
      }
      for (const [value, count] of matches)
        if (count < 1000) revealing.push(`${path}: ${value} (${count} CVVs)`);
    }
    expect(revealing).toEqual([]);
  });
});

/** The data of the test database as pg_dump writes it. */
async function pgDump(databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', '--dbname', databaseUrl], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** Every hex or base64 run long enough to be a hash. */
function storedTokens(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []);
}
