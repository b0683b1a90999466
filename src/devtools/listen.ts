import { request } from 'undici';
import { authHeaders, EventStreamRefused, readEventStream, type StreamedEvent } from '../client/index.js';
import { deliveryBodyOf } from '../domain/events.js';
import { deliveryHeaders, uuidFor } from '../domain/signing.js';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  type Connection,
  connectionOf,
  describeFailure,
  parseCommandArgs,
  sleep,
  UsageError,
  wallClock,
} from './client-options.js';
import type { CommandIo } from './io.js';

export const LISTEN_USAGE = `Usage: gateway listen --forward-to <url> [--events <types>] [--print-secret]

Forwards the merchant's events, as they happen, to <url> (its query string kept), each POSTed
exactly as a webhook delivery is sent and signed with the listen secret printed first.

  --forward-to <url>   where to POST each event, e.g. http://localhost:3000/webhook
  --events <types>     comma-separated event types or resource.* (default: every event)
  --print-secret       print the listen secret and exit
${CONNECTION_USAGE}`;

const FORWARD_TIMEOUT_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 5000;

/** `gateway listen`: the event stream, forwarded to a local endpoint; runs until a signal. */
export async function listenCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    ...CONNECTION_OPTIONS,
    'forward-to': { type: 'string' },
    events: { type: 'string' },
    'print-secret': { type: 'boolean' },
  });
  const connection = connectionOf(values, io.env);
  const forwardTo = values['forward-to'];
  if (!values['print-secret'] && !(forwardTo && /^https?:\/\/[^/]/.test(forwardTo))) {
    throw new UsageError('--forward-to <url> is required (an http or https URL)');
  }
  const secret = await listenSecret(connection, io);
  if (values['print-secret'] || !forwardTo) {
    io.out(secret);
    return 0;
  }
  const types = (values.events ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);

  let lastEventId: string | undefined;
  let ready = false;
  let failures = 0;
  while (!io.signal.aborted) {
    try {
      await readEventStream({
        apiUrl: connection.apiUrl,
        headers: authHeaders(connection),
        types,
        lastEventId,
        signal: io.signal,
        onOpen: () => {
          if (!ready) io.out(`Ready. Webhook signing secret: ${secret}`);
          else io.err(`Reconnected to ${connection.apiUrl}`);
          ready = true;
          failures = 0;
        },
        onEvent: async (event) => {
          await forward(event, forwardTo, secret, io);
          lastEventId = event.id;
        },
      });
      if (io.signal.aborted) break;
      io.err('The API ended the event stream; reconnecting');
    } catch (err) {
      if (io.signal.aborted) break;
      if (err instanceof EventStreamRefused) {
        if (err.status === 401) throw new Error(`the API refused the credentials (${err.body})`);
        if (err.status === 400 && lastEventId) {
          // The last event seen is gone (retention): carry on from now.
          io.err(`Cannot resume after ${lastEventId} (${err.body}); resuming from now`);
          lastEventId = undefined;
          continue;
        }
      }
      io.err(`Connection to the API lost (${(err as Error).message}); reconnecting`);
    }
    failures += 1;
    await sleep(Math.min(250 * 2 ** Math.min(failures, 5), MAX_RECONNECT_DELAY_MS), io.signal);
  }
  return 0;
}

/** The listen secret, waiting for the API while it cannot be reached. */
async function listenSecret(connection: Connection, io: CommandIo): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data, error, response } = await connection.client.GET('/api/v1/events/stream/secret');
      if (data) return data.secret;
      throw new Error(`the API answered ${describeFailure(response.status, error)}`);
    } catch (err) {
      if (!(err instanceof TypeError) || io.signal.aborted) throw err;
      if (attempt === 1) io.err(`Waiting for the API at ${connection.apiUrl} (${describeCause(err)})`);
      await sleep(1000, io.signal);
    }
  }
}

/** POSTs one event as a delivery would be sent, and prints what was sent and what came back. */
async function forward(event: StreamedEvent, url: string, secret: string, io: CommandIo): Promise<void> {
  io.out(`${wallClock()}  --> ${event.type} [${event.id}]`);
  const body = deliveryBodyOf(event);
  const headers = deliveryHeaders({
    id: uuidFor(`listen:${event.id}`),
    eventId: event.id,
    event: event.type,
    attempt: 1,
    secrets: [secret],
    body,
    timestampSeconds: Math.floor(Date.now() / 1000),
  });
  try {
    // The HTTP client deliveries use (undici, redirects not followed), so the request is the same.
    const response = await request(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    await response.body.dump().catch(() => undefined);
    io.out(`${wallClock()}  <-- [${response.statusCode}] POST ${url}`);
  } catch (err) {
    io.out(`${wallClock()}  <-- [ERR] POST ${url} (${describeCause(err)})`);
  }
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
