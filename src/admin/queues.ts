import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { sendError } from '../api/errors.js';
import { QUEUE_NAMES } from '../queue/catalog.js';
import type { Runtime } from '../runtime.js';
import { basicAuthMatches } from './basic-auth.js';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export const ADMIN_QUEUES_PATH = '/admin/queues';
export const ADMIN_USERNAME = 'admin';

/**
 * The BullMQ queue view (bull-board) at /admin/queues, behind HTTP Basic authentication: user
 * `admin`, password ADMIN_PASSWORD. Without ADMIN_PASSWORD the view stays locked: every request is
 * refused with 401, so there is no default password to forget about. Retrying or removing jobs here
 * is safe: PostgreSQL holds the facts and the sweeper recreates any job that is still due.
 */
export const adminQueues: FastifyPluginAsync<{ runtime: Runtime }> = async (app, { runtime }) => {
  const password = runtime.config.ADMIN_PASSWORD;
  app.addHook('onRequest', async (request, reply) => {
    if (password && basicAuthMatches(request.headers.authorization, { username: ADMIN_USERNAME, password })) {
      return;
    }
    reply.header('WWW-Authenticate', 'Basic realm="gateway admin", charset="UTF-8"');
    return sendError(
      reply,
      'AUTHENTICATION_ERROR',
      password
        ? 'Admin credentials required'
        : 'The queue view is disabled: set ADMIN_PASSWORD to enable it (user "admin")',
    );
  });

  const serverAdapter = new FastifyAdapter().setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(runtime.jobs.queues[name])),
    // The Fastify adapter pins a patch release of @bull-board/api older than ours; the interface is
    // the same, only TypeScript sees two declarations of it.
    serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    options: { uiConfig: { boardTitle: 'Gateway queues' } },
  });
  await app.register(serverAdapter.registerPlugin());
};
