import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** An event as the stream sends it (the shape of GET /api/v1/events/{id}, without deliveries). */
export interface StreamedEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

export interface EventStreamOptions {
  apiUrl: string;
  headers: Record<string, string>;
  /** Event types, `resource.*` or `*`; all when empty. */
  types?: string[];
  /** Resume after this event. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** The stream is open: from here on every new event will arrive. */
  onOpen?: () => void;
  onEvent: (event: StreamedEvent) => void | Promise<void>;
  /** Comment lines (heartbeats). */
  onComment?: (comment: string) => void;
}

/** A refusal from the API (not a lost connection): retrying the same request will not help. */
export class EventStreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the event stream was refused with ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * Reads GET /api/v1/events/stream until the server ends it (resolves) or the connection fails
 * (rejects). Each event is handed over, and awaited, in order.
 */
export async function readEventStream(options: EventStreamOptions): Promise<void> {
  const url = new URL('/api/v1/events/stream', options.apiUrl);
  if (options.types && options.types.length > 0) url.searchParams.set('type', options.types.join(','));
  const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers };
  if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: options.signal });
  if (response.status !== 200 || !response.body) {
    const body = await response.text().catch(() => '');
    throw new EventStreamRefused(response.status, body);
  }
  options.onOpen?.();
  const messages: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (message) => messages.push(message),
    onComment: (comment) => options.onComment?.(comment),
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    parser.feed(decoder.decode(value, { stream: true }));
    for (const message of messages.splice(0)) {
      await options.onEvent(JSON.parse(message.data) as StreamedEvent);
    }
  }
}
