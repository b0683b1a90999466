import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import * as merchants from '../../src/db/merchants.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import * as apiSecrets from '../../src/domain/api-secrets.js';
import * as signing from '../../src/domain/signing.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { Authenticator } from '../../src/services/authenticator.js';
import { verifyMerchantLogin } from '../../src/services/merchants.js';
import * as passwords from '../../src/services/passwords.js';
import { DashboardClient } from '../support/dashboard-client.js';
import { dropDatabase } from '../support/databases.js';
import { TEST_AUTH, testEnvironment } from '../support/gateway.js';
import { sleep } from '../support/load.js';
import { createMerchant } from '../support/merchants.js';
import { ProcessGateway } from '../support/process-gateway.js';
import type { GatewayProcess } from '../support/processes.js';

/**
 * No one gets in by guessing: API secrets and dashboard passwords are compared in constant time on
 * every path, at the same cost for unknown keys (asserted on the code path, not by timing), failed
 * authentication and the public endpoints are rate limited per client with 429 + Retry-After (one
 * count across every API process), the default limits never throttle real traffic, and the sign-in
 * answer does not tell which emails have accounts.
 */
vi.mock('../../src/domain/api-secrets.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/domain/api-secrets.js')>();
  return { ...real, apiSecretMatches: vi.fn(real.apiSecretMatches) };
});
vi.mock('../../src/db/merchants.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/db/merchants.js')>();
  return { ...real, findActiveMerchantByApiKey: vi.fn(real.findActiveMerchantByApiKey) };
});
vi.mock('../../src/services/passwords.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/services/passwords.js')>();
  return {
    ...real,
    verifyPassword: vi.fn(real.verifyPassword),
    verifyAgainstDecoy: vi.fn(real.verifyAgainstDecoy),
  };
});

/** A request from a chosen loopback address (127.0.0.0/8 is all ours), i.e. from another client. */
function requestFrom(
  localAddress: string,
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { localAddress, headers, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text || '{}') }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

const VALID = { 'X-Api-Key': TEST_AUTH['X-Api-Key'], 'X-Api-Secret': TEST_AUTH['X-Api-Secret'] };
const WRONG = { 'X-Api-Key': TEST_AUTH['X-Api-Key'], 'X-Api-Secret': 'secret_test_guess' };

describe('constant-time comparisons, on every path (code path, not timing)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    const env = await testEnvironment({ TEST_MODE: 'false' });
    runtime = createRuntime(loadConfig(env), 'test', { log: createLogger('silent', 'test') });
  });
  afterAll(async () => {
    await runtime?.close();
    if (runtime) await dropDatabase(runtime.config.DATABASE_URL);
  });

  it('costs one lookup, one hash and one constant-time comparison for every attempt, unknown keys included', async () => {
    // Production mode: the published test credentials are refused like any wrong pair.
    const authenticator = new Authenticator(runtime.db, false);
    const merchant = await createMerchant(runtime.db, 'Constant Cost');
    const lookup = vi.mocked(merchants.findActiveMerchantByApiKey);
    const compare = vi.mocked(apiSecrets.apiSecretMatches);
    const cases: Array<[string, string, string, boolean]> = [
      ['an unknown key', 'key_test_unknown', 'whatever', false],
      ['a known key with a wrong secret', merchant.key, 'secret_test_wrong', false],
      ['a known key with a one-character secret', merchant.key, 'x', false],
      ['a known key with a huge secret', merchant.key, 'y'.repeat(8000), false],
      ['the test merchant outside test mode', TEST_MERCHANT.api_key, TEST_MERCHANT.api_secret, false],
      ['the right pair', merchant.key, merchant.secret, true],
    ];
    const compared: string[] = [];
    for (const [what, key, secret, accepted] of cases) {
      lookup.mockClear();
      compare.mockClear();
      expect(Boolean(await authenticator.authenticate(key, secret)), what).toBe(accepted);
      // No cache, so no hit or miss to time; and no early return before the comparison.
      expect(lookup, what).toHaveBeenCalledTimes(1);
      expect(compare, what).toHaveBeenCalledTimes(1);
      const [storedHash, presented] = compare.mock.calls[0] as [string, string];
      expect(storedHash, what).toMatch(/^[0-9a-f]{64}$/);
      expect(presented, what).toBe(secret);
      compared.push(storedHash);
    }
    // An unknown key is compared against a hash no secret produces, not against nothing.
    expect(compared[0]).toBe(apiSecrets.UNKNOWN_KEY_SECRET_HASH);
    expect(compared[0]).not.toBe(compared[1]);
    // Inputs of any length are compared as fixed-size digests: no early exit, no length leak, no throw.
    expect(apiSecrets.apiSecretMatches(apiSecrets.hashApiSecret('a'), 'a'.repeat(10_000))).toBe(false);
    expect(apiSecrets.apiSecretMatches('not hex', 'a')).toBe(false);
    expect(signing.safeEqual('a', 'a'.repeat(10_000))).toBe(false);
    expect(signing.safeEqual('', '')).toBe(true);
  });

  it('spends a scrypt check on unknown emails too, so sign-in time does not reveal accounts', async () => {
    const email = `owner-${Date.now()}@example.com`;
    await runtime.db.query(
      `INSERT INTO merchants (name, email, api_key, api_secret_hash, webhook_secret, password_hash)
       VALUES ('Owner', $1, $2, repeat('0', 64), 'whsec_x', $3)`,
      [email, `key_test_${Date.now()}`, await passwords.hashPassword('correct horse battery')],
    );
    const real = vi.mocked(passwords.verifyPassword);
    const decoy = vi.mocked(passwords.verifyAgainstDecoy);
    real.mockClear();
    decoy.mockClear();
    expect(await verifyMerchantLogin(runtime, 'nobody-here@example.com', 'correct horse battery')).toBeNull();
    expect([real.mock.calls.length, decoy.mock.calls.length]).toEqual([0, 1]);
    expect(await verifyMerchantLogin(runtime, email, 'wrong password!')).toBeNull();
    expect([real.mock.calls.length, decoy.mock.calls.length]).toEqual([1, 1]);
    expect(await verifyMerchantLogin(runtime, email, 'correct horse battery')).not.toBeNull();
  });
});

describe('rate limits per client (real API processes, small limits)', () => {
  let gw: ProcessGateway;
  let second: GatewayProcess;
  const WINDOW_MS = 3000;
  beforeAll(async () => {
    const env = await testEnvironment({
      RATE_LIMIT_AUTH_FAILURES: '5',
      RATE_LIMIT_PUBLIC: '20',
      RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
    });
    gw = await ProcessGateway.start({ env, workers: 0 });
    second = await gw.group.spawn('api', { env, name: 'api-2' });
  });
  afterAll(() => gw?.close());

  it('counts across API processes: failures on one block the client on the other', async () => {
    const attacker = '127.0.0.31';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const url = i % 2 ? second.url : gw.url;
      statuses.push((await requestFrom(attacker, url, '/api/v1/payments', WRONG)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    for (const url of [gw.url, second.url]) {
      const blocked = await requestFrom(attacker, url, '/api/v1/payments', VALID);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error?.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect((await requestFrom('127.0.0.32', second.url, '/api/v1/payments', VALID)).status).toBe(200);
  });

  it('blocks a client after repeated failed authentication, right credentials included, until the window ends', async () => {
    const attacker = '127.0.0.11';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await requestFrom(attacker, gw.url, '/api/v1/payments', WRONG)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const blocked = await requestFrom(attacker, gw.url, '/api/v1/payments', WRONG);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('RATE_LIMITED');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    // A right guess is refused too, so a blocked guesser learns nothing; so is a forged X-Forwarded-For.
    expect((await requestFrom(attacker, gw.url, '/api/v1/payments', VALID)).status).toBe(429);
    const forged = await requestFrom(attacker, gw.url, '/api/v1/payments', {
      ...VALID,
      'X-Forwarded-For': '8.8.8.8',
    });
    expect(forged.status).toBe(429);
    // Other clients are not affected.
    expect((await requestFrom('127.0.0.12', gw.url, '/api/v1/payments', VALID)).status).toBe(200);

    await sleep(retryAfter * 1000 + 200);
    expect((await requestFrom(attacker, gw.url, '/api/v1/payments', VALID)).status).toBe(200);
  });

  it('caps the public endpoints per client, with Retry-After, leaving authenticated traffic alone', async () => {
    const client = '127.0.0.21';
    const path = '/api/v1/orders/order_AAAAAAAAAAAAAAAA/public';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await requestFrom(client, gw.url, path)).status);
    expect(new Set(statuses)).toEqual(new Set([404]));

    const limited = await requestFrom(client, gw.url, '/api/v1/payments/pay_AAAAAAAAAAAAAAAA/public');
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await requestFrom(client, gw.url, '/api/v1/payments', VALID)).status).toBe(200);
    expect((await requestFrom('127.0.0.22', gw.url, path)).status).toBe(404);
  });
});

describe('default limits under load (real API process)', () => {
  let gw: ProcessGateway;
  beforeAll(async () => {
    gw = await ProcessGateway.start({ env: await testEnvironment(), workers: 0 });
  });
  afterAll(() => gw?.close());

  it('never throttles 64 connections at full speed, authenticated or public', {
    timeout: 60_000,
  }, async () => {
    const order = (await gw.request('POST', '/api/v1/orders', { body: { amount: 5000 } })).body;
    const statuses = new Map<number, number>();
    const paths = [`/api/v1/orders/${order.id}`, `/api/v1/orders/${order.id}/public`];
    await Promise.all(
      Array.from({ length: 64 }, async (_, connection) => {
        for (let i = 0; i < 60; i++) {
          const path = paths[(connection + i) % 2] as string;
          const res = await gw.request('GET', path, { auth: path.endsWith('/public') ? false : undefined });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: 64 * 60 });
  });
});

describe('dashboard sign-in does not reveal which emails have accounts', () => {
  let gw: ProcessGateway;
  beforeAll(async () => {
    gw = await ProcessGateway.start({ env: await testEnvironment({ TEST_MODE: 'false' }), workers: 0 });
  });
  afterAll(() => gw?.close());

  it('answers an unknown email exactly like a wrong password', async () => {
    const owner = new DashboardClient(gw.url);
    const email = `shop-${Date.now()}@example.com`;
    const signedUp = await owner.signUp('Shop', email, 'correct horse battery');
    expect(signedUp.status).toBe(201);

    const strip = (body: { error: { request_id?: string } }) => ({
      ...body,
      error: { ...body.error, request_id: '' },
    });
    const wrongPassword = await new DashboardClient(gw.url).login(email, 'not the password');
    const unknownEmail = await new DashboardClient(gw.url).login(
      `nobody-${Date.now()}@example.com`,
      'not the password',
    );
    expect(wrongPassword.status).toBe(401);
    expect([unknownEmail.status, strip(unknownEmail.body)]).toEqual([
      wrongPassword.status,
      strip(wrongPassword.body),
    ]);
    expect(unknownEmail.headers.get('set-cookie')).toBeNull();
  });
});
