import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { WebhookSink } from '../support/webhook-sink.js';

/** Outside test mode, webhooks may not reach internal addresses: not when saved, not when sent. */
let gw: TestGateway;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await startTestGateway({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }, workers: true });
});
afterAll(async () => {
  await gw.close();
  await sink.close();
});

describe('SSRF guard', () => {
  it.each([
    'http://127.0.0.1:4000/webhook',
    'http://localhost:4000/webhook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/hook',
    'http://192.168.1.20/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:0:7f00:1]/hook',
    'http://[64:ff9b::a9fe:a9fe]/hook',
    'http://[64:ff9b:1::7f00:1]/hook',
    'http://[2002:7f00:1::]/hook',
    'http://[2001::]/hook',
    'http://0177.0.0.1/hook',
    'http://2130706433/hook',
  ])('refuses to save %s', async (webhook_url) => {
    const res = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'webhook_url' });
  });

  it('accepts a public address', async () => {
    const res = await gw.request('PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: 'https://93.184.215.14/hook' },
    });
    expect(res.status).toBe(200);
  });

  it.each(['localhost', '127.0.0.1'])(
    'refuses at delivery a URL whose host (%s) resolves to an internal address',
    async (host) => {
      const merchant = await createMerchant(gw.runtime.db);
      const auth = { key: merchant.key, secret: merchant.secret };
      await gw.request('PUT', '/api/v1/merchant/webhook', {
        body: { webhook_url: 'https://93.184.215.14/hook' },
        auth,
      });
      // As if DNS had changed under a saved name: the stored URL now leads inside.
      await gw.runtime.db.query(
        'UPDATE webhook_endpoints SET url = $2 WHERE merchant_id = $1 AND is_default',
        [merchant.id, `http://${host}:${sink.port}/webhook`],
      );
      const queued = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
      const detail = await waitFor(async () => {
        const d = await gw.request('GET', `/api/v1/webhooks/${queued.body.id}`, { auth });
        return d.body.attempts === 1 && d.body;
      });
      expect(detail.response_code).toBeNull();
      expect(detail.attempt_history[0].error).toMatch(/^blocked/);
      expect(sink.requests).toHaveLength(0);
    },
  );
});
