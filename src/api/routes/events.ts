import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { EventStreamHub, listenSecret, streamStart } from '../../services/event-stream.js';
import { eventView, getEvent, listEvents, parseTypeFilter, resendEvent } from '../../services/events.js';
import {
  EventDetail,
  EventList,
  EventListQuery,
  EventResendBody,
  EventResent,
  EventStreamQuery,
  errors,
  IdParams,
  ListenSecret,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { ServerSentEvents } from '../server-sent-events.js';

const security = [{ apiKey: [], apiSecret: [] }];

function lastEventId(request: FastifyRequest, fromQuery: string | undefined): string | undefined {
  const header = request.headers['last-event-id'];
  return (typeof header === 'string' ? header.trim() : undefined) || fromQuery;
}

export const eventRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  // One LISTEN session per process feeds every stream; streams end before the server closes.
  const hub = new EventStreamHub(runtime);
  const open = new Set<ServerSentEvents>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
    await hub.stop();
  });

  app.get(
    '/events/stream',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-Sent Events: each new event as a message whose id is the event id',
        description:
          'Send `Last-Event-ID` (or `last_event_id`) to resume after that event; without it the stream starts now. ' +
          'Each message is the event as GET /api/v1/events/{id} shows it (without deliveries). ' +
          'Comment lines are heartbeats.',
        security,
        querystring: EventStreamQuery,
        response: {
          200: {
            description: 'text/event-stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors(400, 401),
        },
      },
    },
    async (request, reply) => {
      const merchantId = request.merchant.id;
      const types = parseTypeFilter(request.query.type);
      const start = await streamStart(runtime, merchantId, lastEventId(request, request.query.last_event_id));
      await hub.prepare(merchantId);
      const stream = new ServerSentEvents(reply, runtime.config.EVENT_STREAM_HEARTBEAT_MS);
      open.add(stream);
      const unsubscribe = hub.subscribe(merchantId, types, start, {
        send: (event) => stream.send(event.id, JSON.stringify(eventView(event))),
      });
      stream.onClose(() => {
        unsubscribe();
        open.delete(stream);
      });
    },
  );

  app.get(
    '/events/stream/secret',
    {
      schema: {
        tags: ['events'],
        summary: 'The secret `gateway listen` signs forwarded events with (stable per merchant)',
        security,
        response: { 200: ListenSecret, ...errors(401) },
      },
    },
    async (request) => listenSecret(runtime, request.merchant.id),
  );

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Events, newest first (every one is recorded, with or without an endpoint)',
        security,
        querystring: EventListQuery,
        response: { 200: EventList, ...errors(400, 401) },
      },
    },
    async (request) => listEvents(runtime, request.merchant.id, request.query),
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'One event with its deliveries',
        security,
        params: IdParams,
        response: { 200: EventDetail, ...errors(401, 404) },
      },
    },
    async (request) => getEvent(runtime, request.merchant.id, request.params.id),
  );

  app.post(
    '/events/:id/resend',
    {
      schema: {
        tags: ['events'],
        summary: 'Deliver an event again, to one endpoint or to every endpoint that selects it',
        security,
        params: IdParams,
        body: EventResendBody,
        response: { 202: EventResent, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await resendEvent(runtime, request.merchant.id, request.params.id, request.body?.endpoint_id)),
  );
};
