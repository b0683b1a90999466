import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  recoverEndpoint,
  rotateEndpointSecret,
  updateEndpoint,
} from '../../services/webhook-endpoints.js';
import { sendTestWebhook } from '../../services/webhooks.js';
import {
  errors,
  IdempotentHeaders,
  IdParams,
  RecoverBody,
  Recovered,
  RotatedSecret,
  SecretRotateBody,
  WebhookEndpoint,
  WebhookEndpointCreateBody,
  WebhookEndpointDeleted,
  WebhookEndpointList,
  WebhookEndpointListQuery,
  WebhookEndpointUpdateBody,
  WebhookTestQueued,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { idempotencyRequest, sendAnswer } from '../request-context.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const webhookEndpointRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.post(
    '/webhook_endpoints',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Add a webhook endpoint',
        headers: IdempotentHeaders,
        security,
        body: WebhookEndpointCreateBody,
        response: { 201: WebhookEndpoint, ...errors(400, 401, 422) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createEndpoint(runtime, request.merchant.id, request.body, idempotencyRequest(request)),
      ),
  );

  app.get(
    '/webhook_endpoints',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Webhook endpoints, newest first',
        security,
        querystring: WebhookEndpointListQuery,
        response: { 200: WebhookEndpointList, ...errors(400, 401) },
      },
    },
    async (request) => listEndpoints(runtime, request.merchant.id, request.query),
  );

  app.get(
    '/webhook_endpoints/:id',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Get a webhook endpoint',
        security,
        params: IdParams,
        response: { 200: WebhookEndpoint, ...errors(401, 404) },
      },
    },
    async (request) => getEndpoint(runtime, request.merchant.id, request.params.id),
  );

  app.patch(
    '/webhook_endpoints/:id',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Change a webhook endpoint’s URL, filter, description or status',
        security,
        params: IdParams,
        body: WebhookEndpointUpdateBody,
        response: { 200: WebhookEndpoint, ...errors(400, 401, 404) },
      },
    },
    async (request) => updateEndpoint(runtime, request.merchant.id, request.params.id, request.body),
  );

  app.delete(
    '/webhook_endpoints/:id',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Delete a webhook endpoint (its deliveries stay)',
        security,
        params: IdParams,
        response: { 200: WebhookEndpointDeleted, ...errors(401, 404) },
      },
    },
    async (request) => deleteEndpoint(runtime, request.merchant.id, request.params.id),
  );

  app.post(
    '/webhook_endpoints/:id/secret/rotate',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'New signing secret; the old one stays valid for overlap_seconds',
        security,
        params: IdParams,
        body: SecretRotateBody,
        response: { 200: RotatedSecret, ...errors(400, 401, 404) },
      },
    },
    async (request) =>
      rotateEndpointSecret(runtime, request.merchant.id, request.params.id, request.body?.overlap_seconds),
  );

  app.post(
    '/webhook_endpoints/:id/recover',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Deliver again every failed delivery of the endpoint in a time window',
        security,
        params: IdParams,
        body: RecoverBody,
        response: { 202: Recovered, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await recoverEndpoint(runtime, request.merchant.id, request.params.id, request.body)),
  );

  app.post(
    '/webhook_endpoints/:id/test',
    {
      schema: {
        tags: ['webhook endpoints'],
        summary: 'Send a webhook.test event to this endpoint',
        headers: IdempotentHeaders,
        security,
        params: IdParams,
        response: { 202: WebhookTestQueued, ...errors(401, 404, 422) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await sendTestWebhook(runtime, request.merchant.id, idempotencyRequest(request), request.params.id),
      ),
  );
};
