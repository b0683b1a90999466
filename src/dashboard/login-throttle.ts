import { FixedWindowCounter } from '../domain/fixed-window-counter.js';

/**
 * Failed sign-ins counted per key in a fixed window, in this process's memory. Deliberately small:
 * it slows password guessing against one account (key: IP + email) and spraying from one address
 * (key: IP); general rate limiting is a separate concern.
 */
export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/** Failed attempts per key: after `limit` of them within a window, the key waits for its end. */
export class FailureThrottle {
  private readonly counter: FixedWindowCounter;

  constructor(rule: ThrottleRule) {
    this.counter = new FixedWindowCounter(rule.limit, rule.windowMs, 50_000);
  }

  /** Milliseconds until this key may try again, or 0 when it may try now. */
  retryAfterMs(key: string, now: number): number {
    return this.counter.blockedForMs(key, now);
  }

  fail(key: string, now: number): void {
    this.counter.count(key, now);
  }

  clear(key: string): void {
    this.counter.clear(key);
  }
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** The two counters a sign-in consults: one account from one address, and one address overall. */
export class LoginThrottle {
  private readonly perAccount = new FailureThrottle({ limit: 10, windowMs: FIFTEEN_MINUTES });
  private readonly perAddress = new FailureThrottle({ limit: 100, windowMs: FIFTEEN_MINUTES });

  retryAfterMs(ip: string, email: string, now: number): number {
    return Math.max(
      this.perAccount.retryAfterMs(accountKey(ip, email), now),
      this.perAddress.retryAfterMs(ip, now),
    );
  }

  fail(ip: string, email: string, now: number): void {
    this.perAccount.fail(accountKey(ip, email), now);
    this.perAddress.fail(ip, now);
  }

  succeed(ip: string, email: string): void {
    this.perAccount.clear(accountKey(ip, email));
  }
}

const accountKey = (ip: string, email: string) => `${ip}\n${email.trim().toLowerCase()}`;
