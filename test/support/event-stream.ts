import { EventStreamRefused, readEventStream, type StreamedEvent } from '../../src/client/event-stream.js';

/**
 * An open GET /api/v1/events/stream, collecting what arrives. `opened` resolves once the API has
 * answered 200 (from then on every new event must arrive); `ended` once the stream is over.
 */
export class StreamReader {
  readonly events: StreamedEvent[] = [];
  readonly comments: string[] = [];
  readonly opened: Promise<void>;
  readonly ended: Promise<void>;
  error: unknown;
  private readonly controller = new AbortController();

  constructor(
    apiUrl: string,
    auth: { key: string; secret: string },
    options: { types?: string[]; lastEventId?: string } = {},
  ) {
    let open!: () => void;
    let fail!: (err: unknown) => void;
    this.opened = new Promise<void>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    this.opened.catch(() => undefined);
    this.ended = readEventStream({
      apiUrl,
      headers: { 'X-Api-Key': auth.key, 'X-Api-Secret': auth.secret },
      types: options.types,
      lastEventId: options.lastEventId,
      signal: this.controller.signal,
      onOpen: open,
      onEvent: (event) => {
        this.events.push(event);
      },
      onComment: (comment) => this.comments.push(comment),
    }).catch((err: unknown) => {
      this.error = err;
      fail(err);
    });
  }

  static async open(...args: ConstructorParameters<typeof StreamReader>): Promise<StreamReader> {
    const reader = new StreamReader(...args);
    await reader.opened;
    return reader;
  }

  /** The status of a refused stream. */
  get refusedWith(): number | undefined {
    return this.error instanceof EventStreamRefused ? this.error.status : undefined;
  }

  ids(): string[] {
    return this.events.map((event) => event.id);
  }

  close(): void {
    this.controller.abort();
  }
}
