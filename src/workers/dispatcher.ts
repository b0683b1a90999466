import { Batcher } from '../db/batcher.js';
import {
  type AttemptRecord,
  type ClaimedDelivery,
  claimDueDeliveries,
  recordAttempts,
} from '../db/deliveries.js';
import { DELIVERIES_CHANNEL } from '../db/delivery-announcements.js';
import { type ChannelListener, listenOn } from '../db/listener.js';
import type { Pool } from '../db/pool.js';
import { nextAttemptAt, parseRetryAfter } from '../domain/retry-schedule.js';
import { deliveryHeaders } from '../domain/signing.js';
import { claimsMade } from '../metrics/webhooks.js';
import type { Runtime } from '../runtime.js';
import type { DeliveryResult, WebhookHttpClient } from '../webhooks/http-client.js';

const STORED_BODY_CHARS = 1024;
/** Longest sleep between looks at the database, whatever the notifications say. */
const POLL_MS = 1000;

/**
 * Delivers webhooks straight from PostgreSQL, where every delivery is a row with its due time: it
 * leases due deliveries in batches (fairly across endpoints, at most WEBHOOK_ENDPOINT_CONCURRENCY in
 * flight per endpoint, so one slow or dead endpoint never holds up another's), signs the exact stored
 * body, POSTs it over kept-alive connections, and records the outcome with the next due time from
 * the schedule. It wakes on a notification when deliveries are written, when a slot frees while due
 * work was left behind, and at the next due time; nothing lives in memory that the database does not
 * also hold, so a restart, a crash (leases lapse) or a Redis wipe loses nothing.
 */
export class DeliveryDispatcher {
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private total = 0;
  private claiming: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires (ms since the epoch), so a sooner due time can replace it. */
  private timerAt = Number.POSITIVE_INFINITY;
  /**
   * The last claim may have left due deliveries behind: it filled the process's capacity or some
   * endpoint's share. Only then can a freed slot find work; otherwise new work announces itself
   * (a notification) or falls due (the timer), and a claim on every answer would come back empty.
   */
  private backlog = false;
  private stopped = false;
  private listener: ChannelListener | undefined;
  private readonly records: Batcher<AttemptRecord, boolean>;
  private readonly leaseMs: number;

  constructor(
    private readonly runtime: Runtime,
    private readonly http: WebhookHttpClient,
    /** Where leases are taken and attempts recorded, committed without waiting for the disk. */
    private readonly recordsPool: Pool,
  ) {
    // Long enough for one attempt and its record; short, so a dead worker's delivery is soon taken over.
    this.leaseMs = runtime.config.WEBHOOK_TIMEOUT_MS + 1000;
    this.records = new Batcher((attempts: AttemptRecord[]) => recordAttempts(recordsPool, attempts));
  }

  start(): void {
    // Missing a notification costs latency only: the dispatcher also polls, and looks again after
    // every reconnection for whatever was written while it was not listening.
    this.listener = listenOn(this.runtime.config.DATABASE_DIRECT_URL, DELIVERIES_CHANNEL, this.runtime.log, {
      onNotify: () => this.wake(),
      onConnected: () => this.wake(),
    });
    this.wake();
  }

  /** Stops taking work and waits for the attempts in flight to be sent and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.listener?.stop();
    await this.claiming;
    await Promise.all([...this.attempts]);
  }

  /** Looks for due work now (coalesced: one claim at a time, and one more if asked meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.clearTimer();
    this.claiming = this.claim()
      .catch((err: Error) => {
        this.runtime.log.warn({ err: err.message }, 'claiming deliveries failed');
        this.wakeAt(Number.POSITIVE_INFINITY);
      })
      .finally(() => {
        this.claiming = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async claim(): Promise<void> {
    const capacity = this.runtime.config.WEBHOOK_CONCURRENCY;
    for (;;) {
      const free = capacity - this.total;
      if (this.stopped) return;
      if (free <= 0) {
        this.backlog = true;
        return;
      }
      const now = this.runtime.clock.now();
      const busy = new Map(this.inFlight);
      const { deliveries, nextDueAt } = await claimDueDeliveries(this.recordsPool, {
        now,
        leaseMs: this.leaseMs,
        perEndpoint: this.runtime.config.WEBHOOK_ENDPOINT_CONCURRENCY,
        busy,
        limit: free,
      });
      claimsMade.inc({ result: deliveries.length > 0 ? 'leased' : 'empty' });
      for (const delivery of deliveries) this.track(delivery);
      this.backlog = deliveries.length >= free || this.sharesFilled(busy, deliveries);
      if (deliveries.length < free) {
        this.wakeAt(nextDueAt ? nextDueAt.getTime() : Number.POSITIVE_INFINITY);
        return;
      }
    }
  }

  /**
   * Whether the claim may have left an endpoint's due deliveries behind: one that had no free share
   * when it was made (it was not looked at), or one that got as many as its share allowed.
   */
  private sharesFilled(busy: ReadonlyMap<string, number>, claimed: ClaimedDelivery[]): boolean {
    const share = this.runtime.config.WEBHOOK_ENDPOINT_CONCURRENCY;
    for (const n of busy.values()) if (n >= share) return true;
    const got = new Map<string, number>();
    for (const delivery of claimed) {
      const endpoint = delivery.endpointId ?? '';
      got.set(endpoint, (got.get(endpoint) ?? 0) + 1);
    }
    for (const [endpoint, n] of got) if (n >= share - (busy.get(endpoint) ?? 0)) return true;
    return false;
  }

  /** A slot has freed: look again if the last claim may have left work behind. */
  private slotFreed(): void {
    if (this.backlog) this.wake();
  }

  /** Looks again at `at` (ms since the epoch) or sooner, and at least every POLL_MS. */
  private wakeAt(at: number): void {
    if (this.stopped) return;
    const now = this.runtime.clock.now().getTime();
    const due = Math.min(at, now + POLL_MS);
    if (this.timer && this.timerAt <= due) return;
    this.clearTimer();
    this.timerAt = due;
    this.timer = setTimeout(
      () => {
        this.clearTimer();
        this.wake();
      },
      Math.max(0, due - now),
    );
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private track(delivery: ClaimedDelivery): void {
    const endpoint = delivery.endpointId ?? '';
    this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 0) + 1);
    this.total += 1;
    let answered = false;
    // The endpoint's share counts the requests it is serving, so it frees once the answer is in;
    // the row stays leased until its record lands, so no claim can take it meanwhile. The process's
    // total frees only after the record, which bounds the records waiting to be written.
    const endpointAnswered = () => {
      if (answered) return;
      answered = true;
      const left = (this.inFlight.get(endpoint) ?? 1) - 1;
      if (left > 0) this.inFlight.set(endpoint, left);
      else this.inFlight.delete(endpoint);
      this.slotFreed();
    };
    const attempt = this.attempt(delivery, endpointAnswered)
      .catch((err: Error) =>
        this.runtime.log.warn({ err: err.message, delivery: delivery.id }, 'delivery attempt failed'),
      )
      .finally(() => {
        this.attempts.delete(attempt);
        this.total -= 1;
        endpointAnswered();
        this.slotFreed();
      });
    this.attempts.add(attempt);
  }

  /** One attempt: sign, POST, record, and schedule the next attempt through its row. */
  private async attempt(delivery: ClaimedDelivery, endpointAnswered: () => void): Promise<void> {
    const startedAt = this.runtime.clock.now();
    const headers = deliveryHeaders({
      id: delivery.id,
      eventId: delivery.eventId,
      event: delivery.event,
      attempt: delivery.attempt,
      secrets: delivery.secrets,
      body: delivery.payload,
      timestampSeconds: Math.floor(startedAt.getTime() / 1000),
    });
    const result: DeliveryResult =
      delivery.url && !delivery.endpointOff
        ? await this.http.post(delivery.url, headers, delivery.payload)
        : { ok: false, status: null, error: 'the webhook endpoint is disabled', durationMs: 0 };

    endpointAnswered();
    const finishedAt = this.runtime.clock.now();
    const askedToWait =
      'retryAfter' in result && (result.status === 429 || result.status === 503)
        ? parseRetryAfter(result.retryAfter, finishedAt)
        : null;
    const nextRetryAt = result.ok
      ? null
      : nextAttemptAt(
          delivery.attempt,
          this.runtime.config.WEBHOOK_RETRY_INTERVALS_TEST,
          finishedAt,
          askedToWait,
        );
    const recorded = await this.records.add({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      generation: delivery.generation,
      attempt: delivery.attempt,
      url: delivery.url,
      ok: result.ok,
      status: result.ok ? 'success' : nextRetryAt === null ? 'failed' : 'pending',
      nextRetryAt,
      responseCode: result.status,
      responseBody: 'body' in result ? result.body.slice(0, STORED_BODY_CHARS) : null,
      requestHeaders: delivery.url && !delivery.endpointOff ? headers : null,
      error: 'error' in result ? result.error : null,
      durationMs: result.durationMs,
      at: finishedAt,
    });
    // The next attempt is due at a time no claim has seen yet: look again then.
    if (recorded && nextRetryAt) this.wakeAt(nextRetryAt.getTime());
  }
}
