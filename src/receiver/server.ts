import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../config.js';
import { hexSignature, safeEqual, standardSecretKey, standardSignature } from '../domain/signing.js';
import type { Logger } from '../logger.js';
import { drainAndClose } from '../processes/drain.js';
import type { Closer } from '../processes/lifecycle.js';

/**
 * The test merchant's webhook receiver (port 4000): verifies each delivery's signature the way the
 * simplest sample receiver does (HMAC over the re-stringified parsed body), also over the
 * raw bytes, logs the event and keeps the latest ones for GET /events.
 */
export interface ReceivedEvent {
  received_at: string;
  id: string | null;
  event: string | null;
  attempt: number | null;
  signature_valid: boolean;
  raw_signature_valid: boolean;
  standard_signature_valid: boolean | null;
  payload: unknown;
}

const KEEP_EVENTS = 1000;

export function buildReceiver(secret: string, log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  }) as unknown as FastifyInstance;
  const events: ReceivedEvent[] = [];

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as { rawBody?: string }).rawBody = String(body);
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(null, undefined);
    }
  });

  app.post('/webhook', async (request, reply) => {
    const raw = (request as { rawBody?: string }).rawBody ?? '';
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const signature = header('x-webhook-signature');
    const restringified = request.body === undefined ? '' : JSON.stringify(request.body);
    const entry: ReceivedEvent = {
      received_at: new Date().toISOString(),
      id: header('x-webhook-id') || null,
      event: header('x-webhook-event') || null,
      attempt: Number(header('x-webhook-attempt')) || null,
      signature_valid: safeEqual(hexSignature(secret, restringified), signature),
      raw_signature_valid: safeEqual(hexSignature(secret, raw), signature),
      standard_signature_valid: verifyStandard(secret, header, raw),
      payload: request.body ?? null,
    };
    events.unshift(entry);
    if (events.length > KEEP_EVENTS) events.pop();
    request.log.info(
      {
        event: entry.event,
        webhook_id: entry.id,
        attempt: entry.attempt,
        signature_valid: entry.signature_valid,
      },
      'webhook received',
    );
    if (!entry.signature_valid) return reply.code(401).send({ error: 'invalid signature' });
    return { received: true };
  });

  app.get('/events', async () => ({ data: events, total: events.length }));
  app.delete('/events', async () => {
    events.length = 0;
    return { cleared: true };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}

function verifyStandard(secret: string, header: (name: string) => string, raw: string): boolean | null {
  const key = standardSecretKey(secret);
  const id = header('webhook-id');
  const timestamp = Number(header('webhook-timestamp'));
  if (!key || !id || !Number.isFinite(timestamp)) return null;
  const expected = standardSignature(key, id, timestamp, raw);
  return header('webhook-signature')
    .split(' ')
    .some((candidate) => safeEqual(candidate, expected));
}

export async function serveReceiver(config: Config, log: Logger): Promise<Closer> {
  const app = buildReceiver(config.RECEIVER_WEBHOOK_SECRET, log);
  await app.listen({ port: config.RECEIVER_PORT, host: config.HOST });
  return async () => {
    await drainAndClose(app);
  };
}
