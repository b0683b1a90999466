import { createServer } from 'node:http';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Closer } from '../processes/lifecycle.js';
import { enableProcessMetrics, renderMetrics } from './registry.js';

/**
 * The metrics-only listener of a `gateway worker` process (which has no HTTP server of its own):
 * GET /metrics for Prometheus and GET /health for container healthchecks, on METRICS_PORT.
 * A port already in use is logged and the worker runs on without it: processing jobs matters more
 * than being scraped.
 */
export async function serveMetrics(config: Config, log: Logger): Promise<Closer> {
  if (config.METRICS_PORT === 0) return async () => undefined;
  enableProcessMetrics();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"healthy"}');
    } else if (path === '/metrics') {
      renderMetrics().then(
        ({ contentType, body }) => response.writeHead(200, { 'Content-Type': contentType }).end(body),
        (err: Error) => {
          log.warn({ err: err.message }, 'metrics scrape failed');
          response.writeHead(500).end();
        },
      );
    } else {
      response.writeHead(404).end();
    }
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (err: Error) => {
      log.warn(
        { err: err.message, port: config.METRICS_PORT },
        'metrics listener not started (set METRICS_PORT)',
      );
      resolve(false);
    });
    server.listen(config.METRICS_PORT, config.HOST, () => resolve(true));
  });
  if (!listening) return async () => undefined;
  log.info({ port: config.METRICS_PORT }, 'metrics listening');
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
