import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getRequestLog, listRequestLogs } from '../../services/request-logs.js';
import {
  errors,
  IdParams,
  RequestLogDetail,
  RequestLogList,
  RequestLogListQuery,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const requestLogRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.get(
    '/request_logs',
    {
      schema: {
        tags: ['request logs'],
        summary: 'Authenticated API requests, newest first, redacted',
        security,
        querystring: RequestLogListQuery,
        response: { 200: RequestLogList, ...errors(400, 401) },
      },
    },
    async (request) => listRequestLogs(runtime, request.merchant.id, request.query),
  );

  app.get(
    '/request_logs/:id',
    {
      schema: {
        tags: ['request logs'],
        summary: 'One request with its (redacted) request and response bodies',
        security,
        params: IdParams,
        response: { 200: RequestLogDetail, ...errors(401, 404) },
      },
    },
    async (request) => getRequestLog(runtime, request.merchant.id, request.params.id),
  );
};
