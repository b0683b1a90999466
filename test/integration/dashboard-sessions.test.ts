import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import { manualClock } from '../../src/clock.js';
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from '../../src/dashboard/sessions.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { DashboardClient } from '../support/dashboard-client.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** Sessions end: after two idle hours, and twelve hours after sign-in whatever the activity. */
const clock = manualClock(new Date('2030-01-01T08:00:00.000Z'));
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ clock });
});
afterAll(() => gw?.close());

const MINUTE = 60_000;
const alive = async (client: DashboardClient) =>
  (await client.request('GET', '/dashboard/api/session')).status === 200;

describe('session lifetime', () => {
  it('slides with activity and ends after the idle timeout', async () => {
    const client = new DashboardClient(gw.url);
    await client.login(TEST_MERCHANT.email, 'x');
    clock.advance(SESSION_IDLE_MS - MINUTE);
    expect(await alive(client)).toBe(true);
    clock.advance(SESSION_IDLE_MS - MINUTE); // idle again, but counted from the last request
    expect(await alive(client)).toBe(true);
    clock.advance(SESSION_IDLE_MS + MINUTE);
    expect(await alive(client)).toBe(false);
  });

  it('ends at its absolute lifetime even when used all along', async () => {
    const client = new DashboardClient(gw.url);
    await client.login(TEST_MERCHANT.email, 'x');
    for (let elapsed = 0; elapsed < SESSION_MAX_AGE_MS - 2 * 60 * MINUTE; elapsed += 60 * MINUTE) {
      clock.advance(60 * MINUTE);
      expect(await alive(client)).toBe(true);
    }
    clock.advance(2 * 60 * MINUTE);
    expect(await alive(client)).toBe(false);
  });

  it('purges expired sessions when someone signs in', async () => {
    const count = async () =>
      (await gw.runtime.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dashboard_sessions')).rows[0]
        ?.n;
    expect(await count()).toBeGreaterThan(0);
    clock.advance(SESSION_MAX_AGE_MS);
    await new DashboardClient(gw.url).login(TEST_MERCHANT.email, 'x');
    expect(await count()).toBe(1);
  });

  it('is valid on every API process: the signing key is shared through the database', async () => {
    const client = new DashboardClient(gw.url);
    await client.login(TEST_MERCHANT.email, 'x');
    const runtime = createRuntime(gw.config, 'second-api', {
      clock,
      log: createLogger('silent', 'second-api'),
    });
    const second = await buildApi(runtime);
    try {
      await second.listen({ port: 0, host: '127.0.0.1' });
      const elsewhere = new DashboardClient(
        `http://127.0.0.1:${(second.server.address() as AddressInfo).port}`,
      );
      elsewhere.cookie = client.cookie;
      expect(await alive(elsewhere)).toBe(true);
    } finally {
      await second.close();
      await runtime.close();
    }
  });
});
