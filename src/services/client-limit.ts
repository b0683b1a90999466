import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Runtime } from '../runtime.js';
import { withTimeout } from '../timeout.js';

/**
 * A per-key counter in fixed windows, kept in Redis (rate-limiter-flexible's RateLimiterRedis on
 * the gateway's counters connection, keys under QUEUE_PREFIX), so a limit holds across every API process.
 * No count is kept in this process's memory (only the checks in flight): a flood of distinct keys
 * costs Redis a short-lived key each (they expire with their window) and can never wipe another
 * key's count.
 *
 * When Redis cannot answer (down, or slower than REDIS_WAIT_MS) the limit fails open: the request
 * goes on as if under the limit, because a payment must never wait for, or fail on, Redis.
 */
export interface LimitRule {
  /** Names the counter in Redis keys. */
  name: string;
  /** Events allowed per window. */
  limit: number;
  /** Window length; counted in whole seconds, rounded up. */
  windowMs: number;
}

const REDIS_WAIT_MS = 1000;

export class ClientLimit {
  private readonly limiter: RateLimiterRedis;
  private failingOpen = false;
  /** Checks in flight by key: concurrent requests of one client share one Redis round trip. */
  private readonly checksInFlight = new Map<string, Promise<number>>();

  constructor(
    private readonly runtime: Pick<Runtime, 'counters' | 'config' | 'log'>,
    private readonly rule: LimitRule,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: runtime.counters,
      keyPrefix: `${runtime.config.QUEUE_PREFIX}:limit:${rule.name}`,
      points: rule.limit,
      duration: Math.max(1, Math.ceil(rule.windowMs / 1000)),
      // The producer connection queues nothing while disconnected; this refuses even earlier.
      rejectIfRedisNotReady: true,
    });
  }

  /**
   * Milliseconds until `key` may go on: 0 while it is under the limit (or Redis cannot tell).
   * A request that arrives while a check of its key is in flight takes that check's answer, which is
   * at most one round trip old; a count made here drops it, so what follows a counted event here
   * always reads afresh.
   */
  blockedForMs(key: string): Promise<number> {
    const inFlight = this.checksInFlight.get(key);
    if (inFlight) return inFlight;
    const check = this.ask(() => this.limiter.get(key), null)
      .then((state) =>
        state && state.consumedPoints >= this.rule.limit ? Math.max(1, state.msBeforeNext) : 0,
      )
      .finally(() => {
        if (this.checksInFlight.get(key) === check) this.checksInFlight.delete(key);
      });
    this.checksInFlight.set(key, check);
    return check;
  }

  /** Counts one event and says how long `key` must wait if it was over the limit (else 0). */
  async take(key: string): Promise<number> {
    const wait = await this.ask(
      () =>
        this.limiter.consume(key).then(
          () => 0,
          (refusal: unknown) => {
            if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
            throw refusal;
          },
        ),
      0,
    );
    this.checksInFlight.delete(key);
    return wait;
  }

  /** Counts one event that is never itself refused (a failed sign-in, a wrong secret). */
  async count(key: string): Promise<void> {
    await this.ask(() => this.limiter.penalty(key), null);
    this.checksInFlight.delete(key);
  }

  /** Forgets `key`'s window (e.g. after a successful sign-in). */
  async clear(key: string): Promise<void> {
    await this.ask(() => this.limiter.delete(key), false);
    this.checksInFlight.delete(key);
  }

  private async ask<T>(call: () => Promise<T>, whenUnreachable: T): Promise<T> {
    try {
      const answer = await withTimeout(call(), REDIS_WAIT_MS, `rate limit ${this.rule.name}`);
      if (this.failingOpen) this.runtime.log.info({ limit: this.rule.name }, 'rate limit back on Redis');
      this.failingOpen = false;
      return answer;
    } catch (err) {
      // Logged once per outage, not once per request.
      if (!this.failingOpen) {
        this.runtime.log.warn(
          { limit: this.rule.name, err: (err as Error).message },
          'rate limit unavailable (Redis unreachable): failing open',
        );
      }
      this.failingOpen = true;
      return whenUnreachable;
    }
  }
}
