import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  getWebhook,
  getWebhookConfig,
  listWebhooks,
  regenerateWebhookSecret,
  retryWebhook,
  sendTestWebhook,
  setWebhookUrl,
} from '../../services/webhooks.js';
import {
  errors,
  IdempotentHeaders,
  pageOf,
  UuidParams,
  WebhookConfig,
  WebhookConfigBody,
  WebhookDetail,
  WebhookList,
  WebhookListQuery,
  WebhookRetried,
  WebhookSecret,
  WebhookTestQueued,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { idempotencyRequest, sendAnswer } from '../request-context.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const webhookRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.get(
    '/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook delivery logs, newest first',
        security,
        querystring: WebhookListQuery,
        response: { 200: WebhookList, ...errors(400, 401) },
      },
    },
    async (request) =>
      listWebhooks(runtime, request.merchant.id, { ...request.query, ...pageOf(request.query) }),
  );

  app.get(
    '/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'One delivery with its payload and every attempt',
        security,
        params: UuidParams,
        response: { 200: WebhookDetail, ...errors(401, 404) },
      },
    },
    async (request) => getWebhook(runtime, request.merchant.id, request.params.id),
  );

  app.post(
    '/webhooks/:id/retry',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Deliver again from attempt 1',
        security,
        params: UuidParams,
        response: { 200: WebhookRetried, ...errors(401, 404) },
      },
    },
    async (request) => retryWebhook(runtime, request.merchant.id, request.params.id),
  );

  app.get(
    '/merchant/webhook',
    {
      schema: {
        tags: ['merchant'],
        summary: 'Webhook URL and signing secret',
        security,
        response: { 200: WebhookConfig, ...errors(401) },
      },
    },
    async (request) => getWebhookConfig(runtime, request.merchant.id),
  );

  app.put(
    '/merchant/webhook',
    {
      schema: {
        tags: ['merchant'],
        summary: 'Set (or, with null, remove) the webhook URL',
        security,
        body: WebhookConfigBody,
        response: { 200: WebhookConfig, ...errors(400, 401) },
      },
    },
    async (request) => setWebhookUrl(runtime, request.merchant.id, request.body.webhook_url),
  );

  app.post(
    '/merchant/webhook/secret',
    {
      schema: {
        tags: ['merchant'],
        summary: 'Regenerate the signing secret',
        security,
        response: { 200: WebhookSecret, ...errors(401) },
      },
    },
    async (request) => regenerateWebhookSecret(runtime, request.merchant.id),
  );

  app.post(
    '/merchant/webhook/test',
    {
      schema: {
        tags: ['merchant'],
        summary: 'Queue a webhook.test event to the configured URL',
        headers: IdempotentHeaders,
        security,
        response: { 202: WebhookTestQueued, ...errors(400, 401, 422) },
      },
    },
    async (request, reply) =>
      sendAnswer(reply, await sendTestWebhook(runtime, request.merchant.id, idempotencyRequest(request))),
  );
};
