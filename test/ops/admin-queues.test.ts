import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthMatches, parseBasicAuth } from '../../src/admin/basic-auth.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const PASSWORD = 'queue-view-password';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function get(gw: TestGateway, path: string, authorization?: string) {
  const response = await fetch(gw.url + path, { headers: authorization ? { authorization } : {} });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('/admin/queues with ADMIN_PASSWORD', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { ADMIN_PASSWORD: PASSWORD } });
  });
  afterAll(() => gw?.close());

  it.each([
    ['no credentials', undefined],
    ['a wrong password', basic('admin', 'wrong-password')],
    ['a wrong user', basic('root', PASSWORD)],
    ['the password as the user', basic(PASSWORD, '')],
    ['the API credentials', basic('key_test_abc123', 'secret_test_xyz789')],
    ['a bearer token', `Bearer ${PASSWORD}`],
  ])('refuses %s with 401 and a Basic challenge', async (_case, authorization) => {
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues']) {
      const response = await get(gw, path, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="gateway admin"/);
      expect(JSON.parse(response.text).error.code).toBe('AUTHENTICATION_ERROR');
      expect(response.text).not.toContain('payments');
    }
  });

  it('protects the static assets too', async () => {
    const page = await get(gw, '/admin/queues', basic('admin', PASSWORD));
    const asset = page.text.match(/(?:src|href)="([^"]*static[^"]+)"/)?.[1];
    expect(asset).toBeDefined();
    const path = asset!.startsWith('/') ? asset! : `/admin/queues/${asset}`;
    expect((await get(gw, path)).status).toBe(401);
    expect((await get(gw, path, basic('admin', PASSWORD))).status).toBe(200);
  });

  it('shows the payment and refund queues to the admin', async () => {
    const page = await get(gw, '/admin/queues', basic('admin', PASSWORD));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await get(gw, '/admin/queues/api/queues', basic('admin', PASSWORD));
    expect(api.status).toBe(200);
    const names = JSON.parse(api.text).queues.map((q: { name: string }) => q.name);
    expect(names.sort()).toEqual(['payments', 'refunds']);
  });
});

describe('/admin/queues without ADMIN_PASSWORD', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());

  it('stays locked for everyone and says how to enable it', async () => {
    for (const authorization of [undefined, basic('admin', ''), basic('admin', 'admin')]) {
      const response = await get(gw, '/admin/queues', authorization);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text).error.description).toContain('ADMIN_PASSWORD');
    }
  });
});

describe('Basic credentials', () => {
  it('parses only well-formed headers', () => {
    expect(parseBasicAuth(basic('admin', 'p:a:ss'))).toEqual({ username: 'admin', password: 'p:a:ss' });
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Basic')).toBeUndefined();
    expect(parseBasicAuth('Basic !!!')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
  });
  it('needs both parts exactly', () => {
    const expected = { username: 'admin', password: PASSWORD };
    expect(basicAuthMatches(basic('admin', PASSWORD), expected)).toBe(true);
    expect(basicAuthMatches(basic('admin', `${PASSWORD} `), expected)).toBe(false);
    expect(basicAuthMatches(basic('Admin', PASSWORD), expected)).toBe(false);
    expect(basicAuthMatches(basic('admin', PASSWORD.slice(0, -1)), expected)).toBe(false);
  });
});
