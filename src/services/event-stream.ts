import { randomBytes } from 'node:crypto';
import {
  EVENTS_CHANNEL,
  eventsAfter,
  positionOf,
  renewListeners,
  type StreamedEvent,
  type StreamPosition,
  streamHorizon,
} from '../db/event-stream.js';
import { sharedSecret } from '../db/gateway-secrets.js';
import { type ChannelListener, listenOn } from '../db/listener.js';
import { badRequest } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { listenSecretFor } from '../domain/signing.js';
import type { Runtime } from '../runtime.js';

/** Where a stream's events go; `send` resolves when the consumer can take more (backpressure). */
export interface StreamSink {
  send(event: StreamedEvent): Promise<void>;
}

const BATCH = 200;
/** Longest wait between looks at the database, whatever the notifications say. */
const POLL_MS = 2000;
/** Look again soon when events wait behind a transaction that is still running. */
const HELD_BACK_POLL_MS = 100;
/** How long a merchant's events are announced after its last stream renewed the mark. */
const LISTENER_LEASE_MS = 60_000;

const LISTEN_KEY = 'listen-secret-key';
const listenKeys = new WeakMap<Runtime, Promise<string>>();

/** The merchant's listen secret (see listenSecretFor); the gateway-wide key is made once and kept. */
export async function listenSecret(runtime: Runtime, merchantId: string): Promise<{ secret: string }> {
  let key = listenKeys.get(runtime);
  if (!key) {
    key = sharedSecret(runtime.db, LISTEN_KEY, randomBytes(32).toString('base64url'));
    key.catch(() => listenKeys.delete(runtime));
    listenKeys.set(runtime, key);
  }
  return { secret: listenSecretFor(await key, merchantId) };
}

/** Where a stream starts: after the event a client saw last (Last-Event-ID), or at this moment. */
export async function streamStart(
  runtime: Runtime,
  merchantId: string,
  lastEventId: string | undefined,
): Promise<StreamPosition> {
  if (lastEventId === undefined || lastEventId === '') return streamHorizon(runtime.db);
  const position = isId('event', lastEventId) ? await positionOf(runtime.db, merchantId, lastEventId) : null;
  if (!position) throw badRequest('Last-Event-ID must be the id of one of your events', 'Last-Event-ID');
  return position;
}

/**
 * One merchant's stream: reads its events after its position, in stream order, and hands them to
 * its sink one by one. Reads are coalesced (one at a time, and one more if woken meanwhile).
 */
class Subscription {
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    private readonly runtime: Runtime,
    readonly merchantId: string,
    private readonly types: string[],
    private position: StreamPosition,
    private readonly sink: StreamSink,
  ) {}

  wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.reading = this.read()
      .catch((err: Error) => {
        this.runtime.log.warn({ err: err.message }, 'reading the event stream failed');
        return POLL_MS;
      })
      .then((wait) => {
        this.reading = null;
        if (this.closed) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), wait);
        }
      });
  }

  /** Sends everything that is ready; returns how long to wait before looking again. */
  private async read(): Promise<number> {
    for (;;) {
      const { events, heldBack } = await eventsAfter(
        this.runtime.db,
        this.merchantId,
        this.position,
        this.types,
        BATCH,
      );
      for (const event of events) {
        if (this.closed) return POLL_MS;
        await this.sink.send(event);
        this.position = { xid: event.xid, seq: event.seq };
      }
      if (events.length < BATCH) return heldBack ? HELD_BACK_POLL_MS : POLL_MS;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}

/**
 * Every event stream of one API process, fed by one LISTEN session: the events trigger announces a
 * merchant's new events (while some stream marks it as listened to), and the hub wakes that
 * merchant's streams, which read the events table from their own positions. The table is the
 * source, the announcement only a hint, so several API processes, a lost notification or a
 * reconnection lose nothing.
 */
export class EventStreamHub {
  private readonly byMerchant = new Map<string, Set<Subscription>>();
  private listener: ChannelListener | null = null;
  private renewal: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly runtime: Runtime) {}

  /** Marks the merchant as listened to before its stream's first read, so nothing is announced unheard. */
  async prepare(merchantId: string): Promise<void> {
    this.startListening();
    await renewListeners(this.runtime.db, [merchantId], LISTENER_LEASE_MS);
  }

  /** Starts a stream at `position`; the returned function ends it. */
  subscribe(merchantId: string, types: string[], position: StreamPosition, sink: StreamSink): () => void {
    const subscription = new Subscription(this.runtime, merchantId, types, position, sink);
    let streams = this.byMerchant.get(merchantId);
    if (!streams) {
      streams = new Set();
      this.byMerchant.set(merchantId, streams);
    }
    streams.add(subscription);
    subscription.wake();
    return () => {
      subscription.close();
      const left = this.byMerchant.get(merchantId);
      left?.delete(subscription);
      if (left?.size === 0) this.byMerchant.delete(merchantId);
    };
  }

  get openStreams(): number {
    let count = 0;
    for (const streams of this.byMerchant.values()) count += streams.size;
    return count;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.renewal);
    for (const streams of this.byMerchant.values()) for (const stream of streams) stream.close();
    this.byMerchant.clear();
    await this.listener?.stop();
  }

  private startListening(): void {
    if (this.listener || this.stopped) return;
    this.listener = listenOn(this.runtime.config.DATABASE_DIRECT_URL, EVENTS_CHANNEL, this.runtime.log, {
      onNotify: (merchantId) => this.wakeMerchant(merchantId),
      onConnected: () => {
        for (const merchantId of this.byMerchant.keys()) this.wakeMerchant(merchantId);
      },
    });
    this.renewal = setInterval(() => void this.renew(), LISTENER_LEASE_MS / 3);
    this.renewal.unref();
  }

  private wakeMerchant(merchantId: string): void {
    for (const stream of this.byMerchant.get(merchantId) ?? []) stream.wake();
  }

  private async renew(): Promise<void> {
    const merchants = [...this.byMerchant.keys()];
    await renewListeners(this.runtime.db, merchants, LISTENER_LEASE_MS).catch((err: Error) =>
      this.runtime.log.warn({ err: err.message }, 'renewing event stream listeners failed'),
    );
  }
}
