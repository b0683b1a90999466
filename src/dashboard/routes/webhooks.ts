import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pageOf } from '../../api/pagination.js';
import {
  UuidParams,
  WebhookConfig,
  WebhookConfigBody,
  WebhookDetail,
  WebhookList,
  WebhookListQuery,
  WebhookRetried,
  WebhookSecret,
  WebhookTestQueued,
} from '../../api/schemas.js';
import {
  getWebhook,
  getWebhookConfig,
  listWebhooks,
  regenerateWebhookSecret,
  retryWebhook,
  sendTestWebhook,
  setWebhookUrl,
} from '../../services/webhooks.js';
import type { DashboardContext } from '../context.js';

/** The webhooks page: configuration, secret, delivery logs and retries, via the webhook service. */
export const webhookRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, { rt }) => {
  const merchantOf = (request: { dashboardSession: { merchant: { id: string } } }) =>
    request.dashboardSession.merchant.id;

  app.get('/webhook-config', { schema: { hide: true, response: { 200: WebhookConfig } } }, async (request) =>
    getWebhookConfig(rt, merchantOf(request)),
  );

  app.put(
    '/webhook-config',
    { schema: { hide: true, body: WebhookConfigBody, response: { 200: WebhookConfig } } },
    async (request) => setWebhookUrl(rt, merchantOf(request), request.body.webhook_url),
  );

  app.post(
    '/webhook-config/secret',
    { schema: { hide: true, response: { 200: WebhookSecret } } },
    async (request) => regenerateWebhookSecret(rt, merchantOf(request)),
  );

  app.post(
    '/webhook-config/test',
    { schema: { hide: true, response: { 202: WebhookTestQueued } } },
    async (request, reply) => reply.code(202).send(await sendTestWebhook(rt, merchantOf(request))),
  );

  app.get(
    '/webhooks',
    { schema: { hide: true, querystring: WebhookListQuery, response: { 200: WebhookList } } },
    async (request) =>
      listWebhooks(rt, merchantOf(request), {
        ...request.query,
        ...pageOf(request.query),
      }),
  );

  app.get(
    '/webhooks/:id',
    { schema: { hide: true, params: UuidParams, response: { 200: WebhookDetail } } },
    async (request) => getWebhook(rt, merchantOf(request), request.params.id),
  );

  app.post(
    '/webhooks/:id/retry',
    { schema: { hide: true, params: UuidParams, response: { 200: WebhookRetried } } },
    async (request) => retryWebhook(rt, merchantOf(request), request.params.id),
  );
};
