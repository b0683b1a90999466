import type { FastifyInstance } from 'fastify';

const IDLE_REAP_INTERVAL_MS = 50;

/**
 * Stops accepting connections, answers every request already received, then resolves. Node closes
 * only the keep-alive connections that are idle at the moment the server closes; one that was busy
 * becomes idle after its response and would hold the close open until its keep-alive timeout
 * (72 s). So idle connections are reaped again until the last one is gone. Requests that arrive on a
 * still-open connection meanwhile are answered with `Connection: close`.
 */
export async function drainAndClose(app: FastifyInstance): Promise<void> {
  const reaper = setInterval(() => app.server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
  try {
    await app.close();
  } finally {
    clearInterval(reaper);
  }
}
